namespace Punch.Server.Expose;

/// <summary>Why the expose side turned something away; each has its counter in <see cref="ExposeRefusals"/>.</summary>
public enum ExposeRefusalKind
{
    /// <summary>A registration without the network's key (missing, wrong, replayed, stale).</summary>
    Unauthenticated,
    /// <summary>A registration in a network without a key while Expose:AllowOpenNetworks is false.</summary>
    OpenNetwork,
    /// <summary>A public port outside Expose:AllowedPorts.</summary>
    PortNotAllowed,
    /// <summary>A port a live service holds, asked for by someone who cannot prove to be its holder.</summary>
    PortHeld,
    /// <summary>The name already exposes another port, or another program holds the port.</summary>
    PortInUse,
    /// <summary>Expose:MaxServicesPerNetwork reached.</summary>
    ServicesPerNetwork,
    /// <summary>Expose:MaxServicesPerAddress reached for the exposer's address.</summary>
    ServicesPerAddress,
    /// <summary>Expose:MaxServices reached.</summary>
    Services,
    /// <summary>Expose:MaxConnectionsPerService reached: a visitor closed at once.</summary>
    VisitorsPerService,
    /// <summary>Expose:MaxConnectionsPerVisitorAddress reached: a visitor closed at once.</summary>
    VisitorsPerAddress,
    /// <summary>Expose:MaxPendingPerAddress reached on the control port: a new connection closed at once.</summary>
    PendingPerAddress,
    /// <summary>The server-wide cap on connections waiting for their first message reached.</summary>
    Pending,
    /// <summary>An Attach for no waiting visitor (unknown, expired, or a wrong token).</summary>
    Attach,
}
