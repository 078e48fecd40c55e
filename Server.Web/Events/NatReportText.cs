namespace Punch.Server.Events;

/// <summary>A peer's NAT as it reported it, in the words events and the dashboard use; a null part is unknown.</summary>
public sealed record NatReportText
{
    /// <summary>"endpoint-independent", "endpoint-dependent".</summary>
    public string? Mapping { get; init; }
    /// <summary>"endpoint-independent", "address-dependent", "address-and-port-dependent" (RFC 4787 §5).</summary>
    public string? Filtering { get; init; }
    public bool? Hairpinning { get; init; }
    /// <summary>Whether the NAT kept the peer's local port.</summary>
    public bool? PortPreserved { get; init; }

    public StoredEvent Describe(StoredEvent common) =>
        common with { NatMapping = Mapping, NatFiltering = Filtering, Hairpinning = Hairpinning, PortPreserved = PortPreserved };
}
