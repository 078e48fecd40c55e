using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Punching;

namespace Punch.Core.Tests.Punching;

/// <summary>Two peers set up as a rendezvous server would introduce them.</summary>
internal static class PeerPair
{
    public static readonly IPEndPoint AliceAddress = new(IPAddress.Parse("198.18.0.1"), 1000);
    public static readonly IPEndPoint BobAddress = new(IPAddress.Parse("198.18.0.2"), 2000);
    /// <summary>Addresses where nobody listens.</summary>
    public static readonly IPEndPoint[] Nowhere =
    [
        new(IPAddress.Parse("198.18.0.99"), 9),
        new(IPAddress.Parse("198.18.0.98"), 8),
        new(IPAddress.Parse("198.18.0.97"), 7),
        new(IPAddress.Parse("198.18.0.96"), 6),
    ];

    public static readonly IceCredentials AliceCredentials = new("aufr", "alice-password-0123");
    public static readonly IceCredentials BobCredentials = new("bufr", "bob-password-456789");

    public static readonly SessionId Session = new(42);

    /// <summary>Alice is controlling and knows Bob at <paramref name="bobCandidates"/>; Bob knows Alice at <paramref name="aliceCandidates"/>.</summary>
    public static (SimulatedPeer Alice, SimulatedPeer Bob) Add(SimulatedNetwork network, IEnumerable<IPEndPoint> bobCandidates, IEnumerable<IPEndPoint> aliceCandidates)
    {
        var alice = network.AddPeer(AliceAddress, AliceSetup(bobCandidates));
        var bob = network.AddPeer(BobAddress, BobSetup(aliceCandidates));
        return (alice, bob);
    }

    public static PunchSetup AliceSetup(IEnumerable<IPEndPoint> bobCandidates) => Setup(alice: true, Candidates(bobCandidates));

    public static PunchSetup BobSetup(IEnumerable<IPEndPoint> aliceCandidates) => Setup(alice: false, Candidates(aliceCandidates));

    /// <summary>Alice's or Bob's side of the introduction; Alice is controlling unless <paramref name="controlling"/> says otherwise.</summary>
    public static PunchSetup Setup(bool alice, IReadOnlyList<Candidate> remoteCandidates, NatMapping local = NatMapping.Unknown, NatMapping remote = NatMapping.Unknown, bool? controlling = null,
        NatBehaviour localFiltering = NatBehaviour.Unknown, NatBehaviour remoteFiltering = NatBehaviour.Unknown) =>
        alice
            ? new(Session, controlling ?? true, AliceCredentials, BobCredentials, remoteCandidates, local, remote, localFiltering, remoteFiltering)
            : new(Session, controlling ?? false, BobCredentials, AliceCredentials, remoteCandidates, local, remote, localFiltering, remoteFiltering);

    private static List<Candidate> Candidates(IEnumerable<IPEndPoint> endPoints) => [.. endPoints.Select(e => new Candidate(CandidateKind.ServerReflexive, e))];
}
