using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Protocol;

namespace Punch.Peer.Rendezvous;

/// <summary>
/// The NAT behaviour discovery a peer runs as it registers (RFC 5780 §4.3-4.5 against the rendezvous server,
/// through <see cref="NatDiscovery"/> on sockets of its own): filtering (with CHANGE-REQUEST, when the server
/// has a second address or port), hairpinning and port preservation. Not the mapping lifetime (§4.6): it takes
/// minutes of idle probes, so only <c>punch netcheck --lifetime</c> measures it.
/// <para>
/// It runs in parallel with the Register and the mapping probe rather than before them, because its silent tests
/// are its answers: behind a filtering NAT the change-address and change-port requests get no answer, and only a
/// timeout says so. Retransmissions are quicker than netcheck's (100 ms doubling to 400 ms, 4 sends: about 1.1 s
/// per silent test) and the registration waits for the result at most <see cref="Wait"/>: on a NAT that answers
/// everything discovery is done well before that; behind a port-restricted NAT it settles after about 2.2 s (two
/// silent tests), and the result goes to the server in a Refresh at once. An introduction made in between carries
/// unknown filtering, which the strategy treats as port-restricted (<c>PunchStrategies.Choose</c>), so it only
/// costs prediction packets that were not needed.
/// </para>
/// </summary>
internal static class RegistrationDiscovery
{
    /// <summary>The most a registration waits for discovery beyond what it takes anyway.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    public static DiscoveryOptions Options(IPEndPoint server) => new()
    {
        Server = server,
        InitialRetransmit = TimeSpan.FromMilliseconds(100),
        MaxRetransmit = TimeSpan.FromMilliseconds(400),
        Attempts = 4,
        OverallLimit = TimeSpan.FromSeconds(6),
    };

    /// <summary>What the registration reports; the mapping comes from <see cref="MappingProbe"/> on the main socket, the one that punches.</summary>
    public static NatReport Report(DiscoveryResult result) => new(result.Filtering, result.Hairpinning, result.PortPreserved);

    /// <summary>
    /// Discovery's notes on what it reports. Not its notes on the mapping test: the registration's mapping
    /// is <see cref="MappingProbe"/>'s, already printed with "registered", and a "mapping unknown" from a
    /// test whose result nobody uses would contradict it on the next line.
    /// </summary>
    public static IReadOnlyList<string> Notes(DiscoveryResult result) =>
        [.. result.Notes.Where(note => note != NatDiscovery.NoOtherAddressNote("mapping") && note != NatDiscovery.PortOnlyMappingNote)];
}
