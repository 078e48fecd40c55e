using System.Net;

namespace Punch.Server.Expose;

/// <summary>
/// Publishing a peer's local TCP service on a public port of the server (<c>punch expose --public-port</c>).
/// Section "Expose". Off until <see cref="AllowedPorts"/> lists a port: a server on the internet
/// should not let peers open listeners unless its operator chose which.
/// </summary>
public sealed class ExposeOptions
{
    public const string SectionName = "Expose";

    /// <summary>Ports peers may publish on, "18000-18100,8443". Empty: the feature is off and the control port is not opened.</summary>
    public string? AllowedPorts { get; set; }

    /// <summary>TCP port the peers' control and data connections come to (0: any free port, for tests).</summary>
    public int ControlPort { get; set; } = 7000;

    /// <summary>Address the control listener and the public listeners bind.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Services exposed at once by the peers of one network.</summary>
    public int MaxServicesPerNetwork { get; set; } = 10;

    /// <summary>Services exposed at once, all networks together.</summary>
    public int MaxServices { get; set; } = 100;

    /// <summary>Visitor connections one service carries at once (waiting for the peer or spliced); past it a visitor is closed at once.</summary>
    public int MaxConnectionsPerService { get; set; } = 256;

    /// <summary>
    /// Whether peers of a network without a key may expose. Off: anyone could then take an allowed
    /// port by naming an open network, so only holders of a network key can publish.
    /// </summary>
    public bool AllowOpenNetworks { get; set; }

    /// <summary>Services exposed at once from one public IP address (all networks), so one client cannot take every allowed port.</summary>
    public int MaxServicesPerAddress { get; set; } = 4;

    /// <summary>
    /// Visitor connections one IP address holds at once on all public ports together; past it its new
    /// ones are closed at once, so idle connections from one address cannot fill a service's
    /// <see cref="MaxConnectionsPerService"/>.
    /// </summary>
    public int MaxConnectionsPerVisitorAddress { get; set; } = 32;

    /// <summary>Connections from one IP address waiting for their first message on the control port; past it its new ones are closed at once.</summary>
    public int MaxPendingPerAddress { get; set; } = 16;

    /// <summary>How long the peer has to attach a data connection for a visitor before the visitor is closed.</summary>
    public TimeSpan AttachTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a new connection to the control port has to send its first message.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each side sends a keepalive on the control connection (the server tells the peer).</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Nothing from the peer on its control connection for this long: the service is unexposed.</summary>
    public TimeSpan ControlTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The parsed <see cref="AllowedPorts"/> (valid after start: the validator refuses a bad value).</summary>
    public PortRanges Ports => PortRanges.TryParse(AllowedPorts, out var ranges) is null ? ranges : PortRanges.None;

    public bool Enabled => !Ports.IsEmpty;

    public IPAddress BindIPAddress => IPAddress.Parse(BindAddress);
}
