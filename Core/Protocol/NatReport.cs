namespace Punch.Core.Protocol;

/// <summary>
/// What a peer discovered of its NAT besides the mapping (RFC 5780 §4.4-4.5 against the rendezvous server, at
/// registration): filtering, hairpinning, port preservation. Every part may be unknown (not measured, not
/// settled, or an older peer); unknown parts are simply absent on the wire.
/// </summary>
public readonly record struct NatReport(Discovery.NatBehaviour Filtering = Discovery.NatBehaviour.Unknown, bool? Hairpinning = null, bool? PortPreserved = null)
{
    public bool IsEmpty => this == default;

    /// <summary>This report over an <paramref name="older"/> one: what this one knows wins, what it does not know is kept (a refresh without a report forgets nothing).</summary>
    public NatReport Over(NatReport older) => new(
        Filtering != Discovery.NatBehaviour.Unknown ? Filtering : older.Filtering,
        Hairpinning ?? older.Hairpinning,
        PortPreserved ?? older.PortPreserved);
}
