namespace Punch.Peer.PortMapping;

/// <summary>One port mapping protocol's client. Every call is bounded by the client's own time limit and never throws for what the network does.</summary>
internal interface IPortMappingClient
{
    PortMappingMethod Method { get; }

    /// <summary>Starts what can run before the client's turn without changing anything on the router (UPnP's SSDP search), so a slower protocol does not add its wait to the others'.</summary>
    void Prepare(CancellationToken cancellationToken)
    {
    }

    /// <summary>Asks for a UDP mapping of <paramref name="internalPort"/> (or renews <paramref name="renewing"/>, the grant it gave before).</summary>
    Task<PortMappingAttempt> MapAsync(ushort internalPort, TimeSpan lifetime, PortMappingGrant? renewing, CancellationToken cancellationToken);

    /// <summary>Deletes the mapping; true when the gateway confirmed it.</summary>
    Task<bool> DeleteAsync(PortMappingGrant grant, CancellationToken cancellationToken);
}
