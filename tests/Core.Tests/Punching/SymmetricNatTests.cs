using System.Globalization;
using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Xunit.Abstractions;

namespace Punch.Core.Tests.Punching;

/// <summary>
/// End to end through simulated NATs: Alice behind a symmetric NAT (Linux <c>masquerade random-fully</c>),
/// Bob behind a port-restricted cone (Linux <c>masquerade</c>), introduced with the candidates a
/// rendezvous server would hand out. Port prediction should connect them almost always; without it
/// they cannot connect at all.
/// </summary>
public sealed class SymmetricNatTests(ITestOutputHelper output)
{
    private const int Seeds = 40;
    private static readonly PunchOptions Options = new();
    private static readonly IPEndPoint Server = new(IPAddress.Parse("192.0.2.1"), 3478);
    private static readonly IPEndPoint AliceInside = new(IPAddress.Parse("10.1.0.10"), 5000);
    private static readonly IPEndPoint BobInside = new(IPAddress.Parse("10.2.0.20"), 6000);

    private sealed record Scenario(SimulatedNetwork Network, SimulatedPeer Alice, SimulatedPeer Bob, SymmetricNat AliceNat, PortRestrictedConeNat BobNat,
        IReadOnlyList<Candidate> AliceCandidates, IReadOnlyList<Candidate> BobCandidates)
    {
        public bool BothUp => Alice.Session.State == PunchState.Connected && Bob.Session.State == PunchState.Connected;

        public bool Run()
        {
            Network.RunUntil(() => BothUp || (Alice.Session.State != PunchState.Checking && Bob.Session.State != PunchState.Checking), Options.Timeout * 1.5);
            return BothUp;
        }
    }

    /// <summary>Both NATs first map their peer's main socket toward the server, which reports those mappings as server-reflexive candidates.</summary>
    private static Scenario Create(int seed, bool predict, bool aliceControls = true, double loss = 0, NatBehaviour bobFiltering = NatBehaviour.AddressAndPortDependent)
    {
        var lossRandom = new Random(seed + 3_000);
        var network = new SimulatedNetwork { Loses = _ => loss > 0 && lossRandom.NextDouble() < loss };
        var aliceNat = new SymmetricNat(IPAddress.Parse("203.0.113.1"), new Random(seed));
        var bobNat = new PortRestrictedConeNat(IPAddress.Parse("203.0.113.2"), bobFiltering);
        List<Candidate> aliceCandidates = [new(CandidateKind.Host, AliceInside), new(CandidateKind.ServerReflexive, aliceNat.Outbound(AliceInside, Server))];
        List<Candidate> bobCandidates = [new(CandidateKind.Host, BobInside), new(CandidateKind.ServerReflexive, bobNat.Outbound(BobInside, Server))];
        var (aliceMapping, bobMapping) = predict ? (NatMapping.EndpointDependent, NatMapping.EndpointIndependent) : (NatMapping.Unknown, NatMapping.Unknown);
        // Bob's filtering as discovery reports it: Alice reads it from the introduction, Bob knows his own.
        var reported = predict ? bobFiltering : NatBehaviour.Unknown;
        var alice = network.AddPeer(AliceInside, PeerPair.Setup(alice: true, bobCandidates, aliceMapping, bobMapping, aliceControls, remoteFiltering: reported), aliceNat, new Random(seed + 1_000));
        var bob = network.AddPeer(BobInside, PeerPair.Setup(alice: false, aliceCandidates, bobMapping, aliceMapping, !aliceControls, localFiltering: reported), bobNat, new Random(seed + 2_000));
        return new Scenario(network, alice, bob, aliceNat, bobNat, aliceCandidates, bobCandidates);
    }

    // ---- the NAT models themselves ----

    [Fact]
    public void Symmetric_nat_maps_each_destination_to_its_own_random_port_and_admits_only_that_destination()
    {
        var nat = new SymmetricNat(IPAddress.Parse("203.0.113.1"), new Random(1));
        var other = new IPEndPoint(IPAddress.Parse("198.18.0.5"), 7000);

        var towardServer = nat.Outbound(AliceInside, Server);
        var towardOther = nat.Outbound(AliceInside, other);

        Assert.NotEqual(towardServer, towardOther);
        Assert.Equal(towardServer, nat.Outbound(AliceInside, Server));
        Assert.All(new[] { towardServer, towardOther }, e => Assert.InRange(e.Port, 1024, 65535));
        Assert.Equal(AliceInside, nat.Inbound(Server, towardServer.Port));
        Assert.Null(nat.Inbound(other, towardServer.Port));
        Assert.Null(nat.Inbound(new IPEndPoint(Server.Address, Server.Port + 1), towardServer.Port));
        Assert.Equal(2, nat.Dropped);
    }

    [Fact]
    public void Port_restricted_cone_keeps_one_port_and_admits_only_endpoints_it_sent_to()
    {
        var nat = new PortRestrictedConeNat(IPAddress.Parse("203.0.113.2"));
        var other = new IPEndPoint(IPAddress.Parse("198.18.0.5"), 7000);

        var towardServer = nat.Outbound(BobInside, Server);

        Assert.Equal(BobInside.Port, towardServer.Port);
        Assert.Null(nat.Inbound(other, towardServer.Port));
        Assert.Equal(towardServer, nat.Outbound(BobInside, other));
        Assert.Equal(BobInside, nat.Inbound(other, towardServer.Port));
        Assert.Null(nat.Inbound(new IPEndPoint(other.Address, other.Port + 1), towardServer.Port));
    }

    // ---- punching through them ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Port_prediction_connects_through_a_symmetric_nat_almost_always(bool aliceControls)
    {
        var times = new List<TimeSpan>();
        var failures = new List<string>();
        for (int seed = 1; seed <= Seeds; seed++)
        {
            var scenario = Create(seed, predict: true, aliceControls);
            Assert.Equal(PunchStrategy.OpenManySockets, scenario.Alice.Session.Strategy);
            Assert.Equal(PunchStrategy.SprayPorts, scenario.Bob.Session.Strategy);
            if (!scenario.Run())
            {
                failures.Add($"seed {seed}: {scenario.Alice.FirstOrNull<PunchFailed>()?.Action.Reason}");
                continue;
            }

            AssertSamePath(scenario);
            times.Add(Max(scenario.Alice.FirstOrNull<PathUp>()!.Value.Action.Elapsed, scenario.Bob.FirstOrNull<PathUp>()!.Value.Action.Elapsed));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{times.Count}/{Seeds} connected; time to connect min {times.Min().TotalSeconds:0.000} s, median {times.Order().ElementAt(times.Count / 2).TotalSeconds:0.000} s, max {times.Max().TotalSeconds:0.000} s"));
        failures.ForEach(output.WriteLine);
        Assert.True(times.Count >= Seeds * 9 / 10, $"only {times.Count} of {Seeds} connected:\n{string.Join('\n', failures)}");
        Assert.All(times, t => Assert.True(t < TimeSpan.FromSeconds(5), $"connected only after {t}"));
    }

    [Fact]
    public void Port_prediction_survives_20_percent_loss_most_of_the_time()
    {
        int connected = Enumerable.Range(1, Seeds).Count(seed => Create(seed, predict: true, loss: 0.2).Run());

        output.WriteLine($"{connected}/{Seeds} connected with 20% loss");
        Assert.True(connected >= Seeds * 85 / 100, $"only {connected} of {Seeds} connected with 20% loss");
    }

    [Fact]
    public void The_path_through_the_symmetric_nat_is_kept_from_the_prediction_socket_alone()
    {
        var scenario = Enumerable.Range(1, Seeds).Select(seed => Create(seed, predict: true))
            .First(s => s.Run() && s.Alice.Session.SelectedSocket != 0);
        var aliceUpAt = scenario.Alice.FirstOrNull<PathUp>()!.Value.At;
        var bobPublic = scenario.BobCandidates.Single(c => c.Kind == CandidateKind.ServerReflexive).EndPoint;

        scenario.Network.RunFor(TimeSpan.FromSeconds(60));

        Assert.Equal(PunchState.Connected, scenario.Alice.Session.State);
        Assert.Equal(PunchState.Connected, scenario.Bob.Session.State);
        var keepalives = scenario.Alice.Checks().Where(s => s.At > aliceUpAt).ToList();
        Assert.InRange(keepalives.Count, 11, 13);
        Assert.All(keepalives, k => Assert.Equal((scenario.Alice.Session.SelectedSocket, bobPublic), (k.Action.Socket, k.Action.To)));
    }

    /// <summary>Both came up on one path: Alice's socket maps to exactly the endpoint Bob selected, and Alice selected Bob's one public endpoint.</summary>
    private static void AssertSamePath(Scenario scenario)
    {
        var aliceUp = Assert.Single(scenario.Alice.All<PathUp>()).Action;
        var bobUp = Assert.Single(scenario.Bob.All<PathUp>()).Action;
        var bobPublic = scenario.BobCandidates.Single(c => c.Kind == CandidateKind.ServerReflexive).EndPoint;

        Assert.Equal(bobPublic, aliceUp.Remote);
        Assert.Equal(0, bobUp.Socket);
        Assert.Equal(aliceUp.Socket, scenario.Alice.Session.SelectedSocket);
        Assert.Equal(scenario.AliceNat.Mapped(scenario.Alice.SocketEndPoint(aliceUp.Socket), bobPublic), bobUp.Remote);
        // Through a symmetric NAT the path is a prediction socket of Alice's or, on Bob's side, a port no candidate named.
        Assert.DoesNotContain(scenario.AliceCandidates, c => c.EndPoint.Equals(bobUp.Remote));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Without_prediction_the_same_nats_cannot_be_punched(int seed)
    {
        var scenario = Create(seed, predict: false);
        Assert.Equal(PunchStrategy.Regular, scenario.Alice.Session.Strategy);
        Assert.Equal(PunchStrategy.Regular, scenario.Bob.Session.Strategy);

        Assert.False(scenario.Run());

        Assert.Single(scenario.Alice.All<PunchFailed>());
        Assert.Single(scenario.Bob.All<PunchFailed>());
        Assert.Empty(scenario.Alice.All<PathUp>());
        Assert.Empty(scenario.Bob.All<PathUp>());
        Assert.True(scenario.AliceNat.Dropped > 0, "Bob's checks to Alice's server-reflexive port should die at her NAT");
        Assert.True(scenario.BobNat.Dropped > 0, "Alice's checks from her fresh port should die at Bob's NAT");
    }

    /// <summary>
    /// A symmetric NAT against a cone whose filter admits any port of an address it sent to (full cone,
    /// address-restricted cone): both sides know it from the reported filtering and punch without
    /// prediction, and Alice's check from her fresh port gets in (the strategy table in <see cref="PunchStrategies"/>).
    /// </summary>
    [Theory]
    [InlineData(NatBehaviour.EndpointIndependent, 1)]
    [InlineData(NatBehaviour.EndpointIndependent, 2)]
    [InlineData(NatBehaviour.AddressDependent, 1)]
    [InlineData(NatBehaviour.AddressDependent, 2)]
    public void Symmetric_against_a_cone_that_admits_any_port_connects_without_prediction(NatBehaviour bobFiltering, int seed)
    {
        var scenario = Create(seed, predict: true, bobFiltering: bobFiltering);
        Assert.Equal(PunchStrategy.Regular, scenario.Alice.Session.Strategy);
        Assert.Equal(PunchStrategy.Regular, scenario.Bob.Session.Strategy);

        Assert.True(scenario.Run());
        Assert.True(scenario.AliceNat.MappingCount <= 4, $"no socket spray expected, Alice's NAT made {scenario.AliceNat.MappingCount} mappings");
    }
}
