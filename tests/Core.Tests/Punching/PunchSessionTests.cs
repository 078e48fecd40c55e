using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Punching;

public sealed class PunchSessionTests
{
    private static readonly PunchOptions Options = new();
    private static readonly IPEndPoint Alice = PeerPair.AliceAddress;
    private static readonly IPEndPoint Bob = PeerPair.BobAddress;
    private static readonly IPEndPoint Stranger = new(IPAddress.Parse("198.18.0.3"), 3000);

    private static bool BothUp(SimulatedPeer alice, SimulatedPeer bob) =>
        alice.Session.State == PunchState.Connected && bob.Session.State == PunchState.Connected;

    private static (SimulatedNetwork Network, SimulatedPeer Alice, SimulatedPeer Bob) ConnectedPair()
    {
        var network = new SimulatedNetwork();
        var (alice, bob) = PeerPair.Add(network, [Bob], [Alice]);
        network.RunUntil(() => BothUp(alice, bob), Options.Timeout);
        Assert.True(BothUp(alice, bob), "the pair should connect on a clean network");
        return (network, alice, bob);
    }

    private static void AssertConnectedToEachOther(SimulatedPeer alice, SimulatedPeer bob, SimulatedNetwork network)
    {
        var (aliceUpAt, aliceUp) = Assert.Single(alice.All<PathUp>());
        var (bobUpAt, bobUp) = Assert.Single(bob.All<PathUp>());
        Assert.Equal(Bob, aliceUp.Remote);
        Assert.Equal(Alice, bobUp.Remote);
        Assert.Equal(Bob, alice.Session.SelectedRemote);
        Assert.Equal(Alice, bob.Session.SelectedRemote);
        Assert.Equal(aliceUpAt - network.Start, aliceUp.Elapsed);
        Assert.Equal(bobUpAt - network.Start, bobUp.Elapsed);
        Assert.InRange(aliceUp.Elapsed, TimeSpan.FromTicks(1), Options.Timeout);
        Assert.InRange(bobUp.Elapsed, TimeSpan.FromTicks(1), Options.Timeout);
    }

    // ---- connecting ----

    [Fact]
    public void Both_sides_come_up_on_the_same_pair_with_elapsed_time_and_rtt()
    {
        var network = new SimulatedNetwork();
        var (alice, bob) = PeerPair.Add(network, [PeerPair.Nowhere[0], Bob, PeerPair.Nowhere[1]], [PeerPair.Nowhere[2], Alice]);

        network.RunUntil(() => BothUp(alice, bob), Options.Timeout);

        AssertConnectedToEachOther(alice, bob, network);
        var roundTrip = network.Latency * 2;
        Assert.Equal(roundTrip, alice.FirstOrNull<PathUp>()!.Value.Action.RoundTripTime);
        Assert.Equal(roundTrip, bob.FirstOrNull<PathUp>()!.Value.Action.RoundTripTime);
        Assert.Empty(alice.All<PunchFailed>());
        Assert.Empty(bob.All<PunchFailed>());
    }

    [Fact]
    public void Checks_are_paced()
    {
        var network = new SimulatedNetwork();
        var (alice, bob) = PeerPair.Add(network, [.. PeerPair.Nowhere, Bob], [.. PeerPair.Nowhere, Alice]);

        network.RunUntil(() => BothUp(alice, bob), Options.Timeout);

        AssertConnectedToEachOther(alice, bob, network);
        foreach (var peer in new[] { alice, bob })
        {
            var times = peer.CheckTimes(until: peer.FirstOrNull<PathUp>()!.Value.At).ToList();
            Assert.True(times.Count > PeerPair.Nowhere.Length, "every candidate should have been checked");
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Options.Pacing,
                $"checks at {pair.First - network.Start} and {pair.Second - network.Start} are closer than {Options.Pacing}"));
        }
    }

    [Fact]
    public void Checks_stay_paced_and_go_round_robin_while_nothing_answers()
    {
        var network = new SimulatedNetwork();
        var alice = network.AddPeer(Alice, PeerPair.AliceSetup(PeerPair.Nowhere));

        network.RunFor(Options.Timeout);

        var checks = alice.All<SendDatagram>().ToList();
        Assert.All(checks.Zip(checks.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= Options.Pacing));
        Assert.Equal(PeerPair.Nowhere.Select(e => e.ToString()).Order(), checks.Select(c => c.Action.To.ToString()).Distinct().Order());
        // After the backoff reaches MaxRetransmit each candidate gets a check every 500 ms: about 20 each in 10 s.
        Assert.All(PeerPair.Nowhere, candidate => Assert.InRange(checks.Count(c => c.Action.To.Equals(candidate)), 15, 30));
    }

    [Fact]
    public void Only_an_unreachable_candidate_fails_at_the_timeout_naming_it()
    {
        var network = new SimulatedNetwork();
        var alice = network.AddPeer(Alice, PeerPair.AliceSetup([PeerPair.Nowhere[0]]));

        network.RunFor(Options.Timeout * 2);

        var (failedAt, failed) = Assert.Single(alice.All<PunchFailed>());
        Assert.Equal(Options.Timeout, failedAt - network.Start);
        Assert.Equal(Options.Timeout, failed.Elapsed);
        Assert.Contains(PeerPair.Nowhere[0].ToString(), failed.Reason, StringComparison.Ordinal);
        Assert.Contains("nothing got through", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(PunchState.Failed, alice.Session.State);
        Assert.Null(alice.Session.NextTimerDue());
        Assert.DoesNotContain(alice.All<SendDatagram>(), send => send.At > failedAt);
        Assert.Empty(alice.All<PathUp>());
    }

    [Fact]
    public void No_candidates_fails_at_the_timeout_saying_so()
    {
        var network = new SimulatedNetwork();
        var alice = network.AddPeer(Alice, PeerPair.AliceSetup([]));

        network.RunFor(Options.Timeout * 2);

        var (failedAt, failed) = Assert.Single(alice.All<PunchFailed>());
        Assert.Equal(Options.Timeout, failedAt - network.Start);
        Assert.Contains("no candidates", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(alice.All<SendDatagram>());
    }

    [Fact]
    public void Controlled_side_learns_a_peer_reflexive_address_and_connects()
    {
        var network = new SimulatedNetwork();
        var (alice, bob) = PeerPair.Add(network, [Bob], aliceCandidates: [PeerPair.Nowhere[0]]);

        network.RunUntil(() => BothUp(alice, bob), Options.Timeout);

        AssertConnectedToEachOther(alice, bob, network);
        Assert.Contains(new Candidate(CandidateKind.PeerReflexive, Alice), bob.Session.Candidates);
    }

    [Fact]
    public void Controlling_side_learns_a_peer_reflexive_address_and_connects()
    {
        var network = new SimulatedNetwork();
        var (alice, bob) = PeerPair.Add(network, bobCandidates: [PeerPair.Nowhere[0]], [Alice]);

        network.RunUntil(() => BothUp(alice, bob), Options.Timeout);

        AssertConnectedToEachOther(alice, bob, network);
        Assert.Contains(new Candidate(CandidateKind.PeerReflexive, Bob), alice.Session.Candidates);
    }

    [Theory]
    [MemberData(nameof(LossSeeds))]
    public void Both_connect_before_the_timeout_despite_30_percent_loss(int seed)
    {
        var random = new Random(seed);
        var network = new SimulatedNetwork { Loses = _ => random.NextDouble() < 0.3 };
        var (alice, bob) = PeerPair.Add(network, [PeerPair.Nowhere[0], Bob], [Alice, PeerPair.Nowhere[1]]);

        network.RunUntil(() => BothUp(alice, bob), Options.Timeout);

        AssertConnectedToEachOther(alice, bob, network);
    }

    public static TheoryData<int> LossSeeds() => [.. Enumerable.Range(1, 20)];

    // ---- what a check must carry ----

    private static PunchSession BobAlone(FakeTimeProvider time) => new(PeerPair.BobSetup([Alice]), Options, time);

    private static byte[] CheckToBob(string username, string password, TransactionId? transactionId = null) =>
        Wire.Write(d => new ConnectivityCheck(transactionId ?? TransactionId.NewRandom(), username, Controlling: true, 7, UseCandidate: false)
            .WriteTo(d, ConnectivityCheck.PasswordKey(password)));

    private const string AliceToBob = "bufr:aufr";

    [Fact]
    public void Signed_check_is_answered_with_the_sender_address_and_a_triggered_check()
    {
        var time = new FakeTimeProvider();
        var bob = BobAlone(time);
        var check = CheckToBob(AliceToBob, PeerPair.BobCredentials.Password);

        Assert.True(bob.OnDatagram(Stranger, check, out var actions));

        var sends = actions.OfType<SendDatagram>().ToList();
        Assert.Equal(actions.Count, sends.Count);
        var answer = Assert.Single(sends, s => !SimulatedPeer.IsRequest(s.Datagram));
        var triggered = Assert.Single(sends, s => SimulatedPeer.IsRequest(s.Datagram));
        Assert.Equal(Stranger, triggered.To);
        Assert.Contains(new Candidate(CandidateKind.PeerReflexive, Stranger), bob.Candidates);
        Assert.Equal(Stranger, answer.To);
        Assert.True(ConnectivityCheck.TryReadResponse(answer.Datagram, ConnectivityCheck.PasswordKey(PeerPair.BobCredentials.Password), out var response));
        Assert.True(StunMessage.TryParse(check, out var request));
        Assert.Equal(request.TransactionId, response.TransactionId);
        Assert.Equal(Stranger, response.MappedEndPoint);
        Assert.Equal(1, bob.ChecksReceived);
    }

    [Theory]
    [InlineData(AliceToBob, "not-bobs-password")]
    [InlineData(AliceToBob, "alice-password-0123")]  // the sender's own password: checks are signed with the receiver's
    [InlineData("bufr:mallory", "bob-password-456789")]
    [InlineData("aufr:bufr", "bob-password-456789")]
    [InlineData("bufr", "bob-password-456789")]
    public void Check_with_wrong_credentials_is_ignored(string username, string password)
    {
        var time = new FakeTimeProvider();
        var bob = BobAlone(time);

        Assert.False(bob.OnDatagram(Alice, CheckToBob(username, password), out var actions));

        Assert.Empty(actions);
        Assert.Equal(0, bob.ChecksReceived);
        Assert.DoesNotContain(bob.Candidates, c => c.Kind == CandidateKind.PeerReflexive);
    }

    [Fact]
    public void Answer_from_another_address_than_the_check_went_to_does_not_validate_the_pair()
    {
        var network = new SimulatedNetwork();
        var (alice, bob) = PeerPair.Add(network, [Bob], [Alice]);
        // Bob's answers leave from another address (as behind a NAT that maps per destination); his checks do not.
        network.Rewrites = packet => packet.From.Equals(Bob) && !SimulatedPeer.IsRequest(packet.Datagram) ? packet with { From = Stranger } : packet;

        network.RunFor(Options.Timeout * 2);

        Assert.Empty(alice.All<PathUp>());
        Assert.Empty(bob.All<PathUp>());
        Assert.Single(alice.All<PunchFailed>());
        Assert.Single(bob.All<PunchFailed>());
        Assert.True(alice.Session.ChecksReceived > 0, "Bob's checks did reach Alice: only the answers were wrong");
    }

    [Fact]
    public void Answer_signed_with_the_wrong_password_is_ignored()
    {
        var time = new FakeTimeProvider();
        var alice = new PunchSession(PeerPair.AliceSetup([Bob]), Options, time);
        var check = Assert.IsType<SendDatagram>(Assert.Single(alice.OnTimer()));
        Assert.True(StunMessage.TryParse(check.Datagram, out var request));
        var transactionId = request.TransactionId;
        var forged = Wire.Write(d => new BindingResponse(transactionId, Alice).WriteTo(d, ConnectivityCheck.PasswordKey("guessed")));

        Assert.False(alice.OnDatagram(Bob, forged, out var actions));
        Assert.Empty(actions);
    }

    // ---- keeping the path ----

    [Fact]
    public void Connected_sides_send_keepalives_every_interval_and_stay_connected()
    {
        var (network, alice, bob) = ConnectedPair();

        network.RunFor(TimeSpan.FromSeconds(60));

        foreach (var peer in new[] { alice, bob })
        {
            var upAt = peer.FirstOrNull<PathUp>()!.Value.At;
            var keepalives = peer.CheckTimes().Where(t => t > upAt).ToList();
            Assert.InRange(keepalives.Count, 11, 13);
            Assert.Equal(upAt + Options.KeepaliveInterval, keepalives[0]);
            Assert.All(keepalives.Zip(keepalives.Skip(1)), pair => Assert.Equal(Options.KeepaliveInterval, pair.Second - pair.First));
            Assert.All(peer.All<SendDatagram>().Where(s => s.At > upAt), s => Assert.Equal(peer == alice ? Bob : Alice, s.Action.To));
            Assert.Equal(PunchState.Connected, peer.Session.State);
            Assert.Empty(peer.All<PathLost>());
        }
    }

    [Fact]
    public void Path_is_lost_after_the_path_timeout_of_silence()
    {
        var (network, alice, bob) = ConnectedPair();
        network.RunFor(TimeSpan.FromSeconds(7));
        bob.Silent = true;
        var lastHeardFromBob = alice.LastReceivedAt!.Value;

        network.RunFor(TimeSpan.FromSeconds(60));

        var (lostAt, lost) = Assert.Single(alice.All<PathLost>());
        Assert.Equal(lastHeardFromBob + Options.PathTimeout, lostAt);
        Assert.Equal(Bob, lost.Remote);
        Assert.Contains(Bob.ToString(), lost.Reason, StringComparison.Ordinal);
        Assert.Equal(PunchState.Lost, alice.Session.State);
        Assert.Null(alice.Session.NextTimerDue());
        Assert.DoesNotContain(alice.All<SendDatagram>(), s => s.At > lostAt);
    }

    [Fact]
    public void Noted_activity_keeps_a_silent_path_alive()
    {
        var (network, alice, bob) = ConnectedPair();
        bob.Silent = true;

        for (int i = 0; i < 30; i++)
        {
            network.RunFor(TimeSpan.FromSeconds(2));
            alice.Session.NoteActivity(Bob);
        }

        Assert.Empty(alice.All<PathLost>());
        Assert.Equal(PunchState.Connected, alice.Session.State);
    }

    [Fact]
    public void Activity_from_another_address_does_not_keep_the_path_alive()
    {
        var (network, alice, bob) = ConnectedPair();
        bob.Silent = true;

        for (int i = 0; i < 30; i++)
        {
            network.RunFor(TimeSpan.FromSeconds(2));
            alice.Session.NoteActivity(Stranger);
        }

        Assert.Single(alice.All<PathLost>());
    }
}
