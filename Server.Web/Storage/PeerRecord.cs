namespace Punch.Server.Storage;

/// <summary>The current state of one registered peer (a projection of the event log).</summary>
public sealed class PeerRecord
{
    public long Id { get; set; }
    public required string Network { get; set; }
    public required string Name { get; set; }
    public string? PublicEndpoint { get; set; }
    /// <summary>Host candidates, newline-joined (candidates never contain newlines).</summary>
    public string Candidates { get; set; } = "";
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public bool Online { get; set; }
    /// <summary>
    /// The last NAT mapping the peer measured ("endpoint-independent", "endpoint-dependent"); null until
    /// it reports one. An event without a mapping keeps it: a peer measures once and refreshes without.
    /// </summary>
    public string? NatMapping { get; set; }
    /// <summary>The NAT filtering the peer discovered (RFC 4787 §5 words); null until reported. Kept like <see cref="NatMapping"/>.</summary>
    public string? NatFiltering { get; set; }
    /// <summary>Whether the peer's NAT hairpins (RFC 4787 §6); null until reported.</summary>
    public bool? Hairpinning { get; set; }
    /// <summary>Whether the peer's NAT kept its local port (port preservation); null until reported.</summary>
    public bool? PortPreserved { get; set; }
}
