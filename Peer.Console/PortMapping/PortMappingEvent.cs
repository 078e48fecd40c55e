using System.Net;
using Punch.Peer.Output;

namespace Punch.Peer.PortMapping;

/// <summary>
/// What happened to our router port mapping. <see cref="State"/>: <c>mapped</c> (granted at start), <c>none</c> (no
/// gateway mapped; <see cref="Detail"/> says what each protocol answered), <c>moved</c> (a renewal got another port),
/// <c>lost</c> (renewals failed until it expired), <c>deleted</c> or <c>kept</c> (at exit: removed, or the router did not confirm).
/// </summary>
public sealed record PortMappingEvent(string State, string? Method, IPEndPoint? External, TimeSpan? Lifetime, string Detail) : PeerEvent
{
    public override string EventName => "portmap";

    public string HumanText => State switch
    {
        "mapped" => $"port mapping: {Method} mapped {External} to us for {Lifetime?.TotalSeconds:0} s (offered to peers as a mapped candidate)",
        "none" => $"port mapping: none ({Detail})",
        "moved" => $"port mapping: the router moved our mapping to {External}",
        "lost" => $"warning: port mapping lost: {Detail}",
        "deleted" => $"port mapping {External} deleted",
        _ => $"port mapping {External}: {Detail}",
    };
}
