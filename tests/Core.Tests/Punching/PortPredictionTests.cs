using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Punching;

/// <summary>
/// The strategy each side picks from both NAT mappings, and what one session of each strategy sends
/// while nobody answers (Alice alone on the simulated network, Bob's candidates leading nowhere).
/// </summary>
public sealed class PortPredictionTests
{
    private static readonly PunchOptions Options = new();
    private static readonly IPEndPoint BobHost = new(IPAddress.Parse("10.9.0.2"), 2000);
    private static readonly IPEndPoint BobPublic = new(IPAddress.Parse("198.18.0.99"), 40000);
    private static readonly List<Candidate> BobCandidates = [new(CandidateKind.Host, BobHost), new(CandidateKind.ServerReflexive, BobPublic)];

    private const NatMapping Unknown = NatMapping.Unknown;
    private const NatMapping Cone = NatMapping.EndpointIndependent;
    private const NatMapping Symmetric = NatMapping.EndpointDependent;

    private static PunchSetup AliceSetup(NatMapping local, NatMapping remote) => PeerPair.Setup(alice: true, BobCandidates, local, remote);

    private static SimulatedPeer AliceAlone(SimulatedNetwork network, NatMapping local, NatMapping remote, Random? random = null) =>
        network.AddPeer(PeerPair.AliceAddress, AliceSetup(local, remote), random: random);

    private static List<(DateTimeOffset At, SendDatagram Send)> Checks(SimulatedPeer peer) => [.. peer.Checks()];

    // ---- choosing ----

    [Theory]
    [InlineData(Unknown, Unknown, PunchStrategy.Regular)]
    [InlineData(Unknown, Cone, PunchStrategy.Regular)]
    [InlineData(Unknown, Symmetric, PunchStrategy.SprayPorts)]
    [InlineData(Cone, Unknown, PunchStrategy.Regular)]
    [InlineData(Cone, Cone, PunchStrategy.Regular)]
    [InlineData(Cone, Symmetric, PunchStrategy.SprayPorts)]
    [InlineData(Symmetric, Unknown, PunchStrategy.OpenManySockets)]
    [InlineData(Symmetric, Cone, PunchStrategy.OpenManySockets)]
    [InlineData(Symmetric, Symmetric, PunchStrategy.Impossible)]
    public void Strategy_follows_both_mappings(NatMapping local, NatMapping remote, PunchStrategy expected)
    {
        Assert.Equal(expected, PunchStrategies.Choose(local, remote));
        Assert.Equal(expected, new PunchSession(AliceSetup(local, remote), Options, new FakeTimeProvider()).Strategy);
    }

    [Fact]
    public void Both_symmetric_fails_at_the_first_timer_without_a_check()
    {
        var network = new SimulatedNetwork();
        var alice = AliceAlone(network, Symmetric, Symmetric);

        Assert.Equal(TimeSpan.Zero, alice.Session.NextTimerDue());
        network.RunFor(Options.Timeout);

        var (failedAt, failed) = Assert.Single(alice.All<PunchFailed>());
        Assert.Equal(network.Start, failedAt);
        Assert.Equal(TimeSpan.Zero, failed.Elapsed);
        Assert.Contains("symmetric", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("so are you", failed.Reason, StringComparison.Ordinal);
        Assert.Single(alice.Actions);
        Assert.Equal(PunchState.Failed, alice.Session.State);
        Assert.Null(alice.Session.NextTimerDue());
    }

    // ---- our side symmetric: many sockets ----

    [Fact]
    public void Many_sockets_are_opened_before_the_first_check()
    {
        var network = new SimulatedNetwork();
        var alice = AliceAlone(network, Symmetric, Cone);

        network.RunFor(TimeSpan.FromSeconds(1));

        var first = alice.Actions[0];
        Assert.Equal(network.Start, first.At);
        Assert.Equal(new OpenSockets(Options.PredictionSockets), first.Action);
        Assert.Single(alice.All<OpenSockets>());
        Assert.Equal(Options.PredictionBatch, Checks(alice).Count(c => c.At == network.Start));
    }

    [Fact]
    public void A_check_arriving_before_the_first_timer_still_opens_the_sockets_first()
    {
        var time = new FakeTimeProvider();
        var alice = new PunchSession(AliceSetup(Symmetric, Cone), Options, time);
        var check = Wire.Write(d => new ConnectivityCheck(TransactionId.NewRandom(), "aufr:bufr", Controlling: false, 7, UseCandidate: false)
            .WriteTo(d, ConnectivityCheck.PasswordKey(PeerPair.AliceCredentials.Password)));

        Assert.True(alice.OnDatagram(BobPublic, check, out var actions));

        var all = actions.Concat(alice.OnTimer()).ToList();
        int opened = all.FindIndex(a => a is OpenSockets);
        int firstFromExtraSocket = all.FindIndex(a => a is SendDatagram { Socket: > 0 });
        Assert.True(opened >= 0 && opened < firstFromExtraSocket, $"sockets opened at action {opened}, first send from an extra socket at {firstFromExtraSocket}");
        Assert.Single(all.OfType<OpenSockets>());
    }

    [Fact]
    public void Extra_sockets_check_only_the_server_reflexive_candidate_and_the_main_socket_checks_all()
    {
        var network = new SimulatedNetwork();
        var alice = AliceAlone(network, Symmetric, Cone);

        network.RunFor(TimeSpan.FromSeconds(3));

        var checks = Checks(alice);
        Assert.All(checks.Where(c => c.Send.Socket > 0), c => Assert.Equal(BobPublic, c.Send.To));
        Assert.Equal(Enumerable.Range(1, Options.PredictionSockets), checks.Select(c => c.Send.Socket).Where(s => s > 0).Distinct().Order());
        Assert.Equal(new[] { BobHost, BobPublic }.Select(e => e.ToString()).Order(),
            checks.Where(c => c.Send.Socket == 0).Select(c => c.Send.To.ToString()).Distinct().Order());
    }

    [Fact]
    public void Extra_sockets_resend_every_prediction_retransmit_without_backing_off()
    {
        var network = new SimulatedNetwork();
        var alice = AliceAlone(network, Symmetric, Cone);

        network.RunFor(Options.Timeout);

        var slack = Options.Pacing * 2;
        foreach (var socket in Enumerable.Range(1, Options.PredictionSockets))
        {
            var times = Checks(alice).Where(c => c.Send.Socket == socket).Select(c => c.At).ToList();
            Assert.InRange(times.Count, 9, 10);
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, Options.PredictionRetransmit, Options.PredictionRetransmit + slack));
        }
    }

    [Theory]
    [InlineData(Symmetric, Cone)]
    [InlineData(Cone, Symmetric)]
    public void No_more_than_a_batch_of_checks_per_pacing_interval(NatMapping local, NatMapping remote)
    {
        var network = new SimulatedNetwork();
        var alice = AliceAlone(network, local, remote, new Random(1));

        network.RunFor(Options.Timeout);

        var times = Checks(alice).Select(c => c.At).ToList();
        int busiest = times.Max(t => times.Count(u => u >= t && u < t + Options.Pacing));
        Assert.Equal(Options.PredictionBatch, busiest);
    }

    // ---- the peer symmetric: spraying its ports ----

    private static List<int> ProbedPorts(int seed, PunchOptions? options = null)
    {
        var network = new SimulatedNetwork { Options = options ?? Options };
        var alice = AliceAlone(network, Cone, Symmetric, new Random(seed));
        network.RunFor(network.Options.Timeout);
        var probes = Checks(alice).Where(c => c.Send.To.Address.Equals(BobPublic.Address) && c.Send.To.Port != BobPublic.Port).ToList();
        Assert.All(probes, p => Assert.Equal(0, p.Send.Socket));
        Assert.DoesNotContain(alice.All<OpenSockets>(), _ => true);
        return [.. probes.Select(p => p.Send.To.Port)];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Spray_probes_distinct_unprivileged_ports_once_each_and_never_the_known_one(int seed)
    {
        var ports = ProbedPorts(seed);

        Assert.Equal(Options.PredictionProbes, ports.Count);
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1024, 65535));
        Assert.DoesNotContain(BobPublic.Port, ports);
    }

    [Fact]
    public void Spray_is_deterministic_for_a_seed()
    {
        Assert.Equal(ProbedPorts(7), ProbedPorts(7));
        Assert.NotEqual(ProbedPorts(7), ProbedPorts(8));
    }

    [Fact]
    public void Spray_finishes_within_about_the_documented_2_s()
    {
        var network = new SimulatedNetwork();
        var alice = AliceAlone(network, Cone, Symmetric, new Random(1));

        network.RunFor(Options.Timeout);

        var lastProbe = Checks(alice).Last(c => c.Send.To.Address.Equals(BobPublic.Address) && c.Send.To.Port != BobPublic.Port).At;
        Assert.InRange(lastProbe - network.Start, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.5));
    }

    // ---- hostile datagrams on an extra socket ----

    [Theory]
    [InlineData(Symmetric, Cone)]
    [InlineData(Cone, Symmetric)]
    [InlineData(Unknown, Unknown)]
    public void Hostile_datagrams_on_socket_5_never_throw(NatMapping local, NatMapping remote)
    {
        var time = new FakeTimeProvider();
        var alice = new PunchSession(AliceSetup(local, remote), Options, time, new Random(1));
        var ourCheck = alice.OnTimer().OfType<SendDatagram>().First(s => SimulatedPeer.IsRequest(s.Datagram));
        Assert.True(StunMessage.TryParse(ourCheck.Datagram, out var request));
        var requestId = request.TransactionId;
        byte[][] valid =
        [
            Wire.Write(d => new ConnectivityCheck(TransactionId.NewRandom(), "aufr:bufr", false, 7, true).WriteTo(d, ConnectivityCheck.PasswordKey(PeerPair.AliceCredentials.Password))),
            Wire.Write(d => new BindingResponse(requestId, PeerPair.AliceAddress).WriteTo(d, ConnectivityCheck.PasswordKey(PeerPair.BobCredentials.Password))),
        ];
        var random = new Random(5);
        var inputs = HostileInputs.RandomBytes(1, 3000)
            .Concat(HostileInputs.RandomStunShaped(2, 3000))
            .Concat(HostileInputs.Mutations(3, 3000, valid))
            .Concat(valid);

        foreach (var datagram in inputs)
        {
            var from = new IPEndPoint(new IPAddress(random.Next()), random.Next(65536));
            alice.OnDatagram(socket: 5, from, datagram, out var actions);
            Assert.All(actions.OfType<SendDatagram>(), s => Assert.Equal(5, s.Socket));
            time.Advance(TimeSpan.FromMilliseconds(1));
            alice.OnTimer();
            alice.NextTimerDue();
        }
    }
}
