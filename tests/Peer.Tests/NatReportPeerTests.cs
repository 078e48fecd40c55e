using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Peer.Cli;
using Punch.Peer.Output;
using Punch.Tests.Shared;

namespace Punch.Peer.Tests;

/// <summary>
/// What a peer reports of its NAT when it registers: RFC 5780 discovery against the server, on real
/// sockets on loopback (no NAT: endpoint-independent, hairpinning, port preserved), the report in the
/// Register/Refresh, the other side's filtering in the introduction and the strategy it leads to.
/// </summary>
public class NatReportPeerTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);
    private static readonly NatReport NoNat = new(NatBehaviour.EndpointIndependent, Hairpinning: true, PortPreserved: true);

    private static PeerRunOptions Options(FakeRendezvous server, string name, string? peer = null) => new()
    {
        Server = server.EndPoint,
        Name = name,
        Peer = peer,
        Interval = TimeSpan.FromMilliseconds(200),
        Linger = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(15),
    };

    [Fact]
    public async Task With_an_alternate_address_and_port_loopback_is_reported_as_no_nat_in_the_registration()
    {
        await using var server = new FakeRendezvous(alternateAddress: true);
        using var stop = new CancellationTokenSource();
        var peer = new PeerUnderTest(Options(server, "solo"));
        var run = peer.ListenAsync(stop.Token);

        var registered = await peer.WaitForAsync<RegisteredEvent>();
        var discovered = await peer.WaitForAsync<NatDiscoveredEvent>();

        Assert.Equal(NatMapping.EndpointIndependent, registered.Mapping);
        Assert.Equal(NoNat, discovered.Nat);
        // Usually in the refresh that completes the registration; on a busy machine in the one right after.
        await Waiting.UntilAsync(() => server.Refreshes.Any(r => r.Peer.Name == "solo" && r.Mapping == NatMapping.EndpointIndependent && r.Nat == NoNat), "the report in a refresh");
        // Mapping and filtering test I, the change-address request, mapping test II toward 127.0.0.2 (equal: no test III).
        Assert.True(server.Behaviour.Requests >= 4, $"{server.Behaviour.Requests} discovery requests");
        Assert.Contains("{\"event\":\"nat\",\"natFiltering\":\"endpoint-independent\",\"hairpinning\":true,\"portPreserved\":true,\"notes\":[]}",
            peer.OutputText, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(RunTimeout));
    }

    [Fact]
    public async Task With_an_alternate_port_only_filtering_stays_unknown_and_the_rest_is_reported()
    {
        await using var server = new FakeRendezvous();
        using var stop = new CancellationTokenSource();
        var peer = new PeerUnderTest(Options(server, "solo"));
        var run = peer.ListenAsync(stop.Token);

        var registered = await peer.WaitForAsync<RegisteredEvent>();
        var discovered = await peer.WaitForAsync<NatDiscoveredEvent>();

        // RFC 5780 §4.4: an answer to change-port only cannot tell endpoint-independent from address-dependent filtering.
        var expected = NoNat with { Filtering = NatBehaviour.Unknown };
        Assert.Equal(NatMapping.EndpointIndependent, registered.Mapping);
        Assert.Equal(expected, discovered.Nat);
        Assert.Contains(discovered.Notes, n => n.StartsWith("the server has no second address: filtering", StringComparison.Ordinal));
        // The mapping printed with "registered" is the probe's; discovery's own mapping test is not reported beside it.
        Assert.DoesNotContain(discovered.Notes, n => n.Contains("mapping", StringComparison.Ordinal));
        await Waiting.UntilAsync(() => server.Refreshes.Any(r => r.Peer.Name == "solo" && r.Nat == expected), "the report in a refresh");
        Assert.Contains("\"natFiltering\":\"unknown\",\"hairpinning\":true,\"portPreserved\":true", peer.OutputText, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(RunTimeout));
    }

    [Fact]
    public async Task A_silent_discovery_reports_everything_unknown_and_the_registration_still_completes()
    {
        await using var server = new FakeRendezvous(alternateAddress: true);
        server.Behaviour.Silent = true;
        using var stop = new CancellationTokenSource();
        var peer = new PeerUnderTest(Options(server, "solo"));
        var run = peer.ListenAsync(stop.Token);

        var registered = await peer.WaitForAsync<RegisteredEvent>();
        var discovered = await peer.WaitForAsync<NatDiscoveredEvent>();

        // How long the registration waits is RegistrationDiscoveryTests' (fake clock); here: nothing made up.
        Assert.Equal(NatMapping.EndpointIndependent, registered.Mapping);
        Assert.Equal(default, registered.Nat);
        Assert.Equal(default, discovered.Nat);
        Assert.Contains(discovered.Notes, n => n.Contains("did not answer", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Refreshes, r => !r.Nat.IsEmpty);
        Assert.Contains("{\"event\":\"nat\",\"natFiltering\":\"unknown\",\"hairpinning\":null,\"portPreserved\":null,\"notes\":[", peer.OutputText, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(RunTimeout));
    }

    [Fact]
    public async Task A_symmetric_peer_against_a_peer_that_filters_nothing_punches_without_prediction()
    {
        await using var server = new FakeRendezvous(alternateAddress: true);
        server.SymmetricNatPeers.Add("alice");
        using var stopBob = new CancellationTokenSource();
        var bob = new PeerUnderTest(Options(server, "bob"));
        var bobRun = bob.ListenAsync(stopBob.Token);
        await bob.WaitForAsync<RegisteredEvent>();
        Assert.Equal(NatBehaviour.EndpointIndependent, (await bob.WaitForAsync<NatDiscoveredEvent>()).Nat.Filtering);
        await Waiting.UntilAsync(() => server.Refreshes.Any(r => r.Peer.Name == "bob" && r.Nat.Filtering == NatBehaviour.EndpointIndependent), "bob's filtering at the server");
        var alice = new PeerUnderTest(Options(server, "alice", "bob") with { Count = 2 });

        Assert.Equal(ExitCodes.Success, await alice.ConnectAsync().WaitAsync(RunTimeout));

        var introduced = alice.All<IntroducedEvent>().Single();
        Assert.Equal((NatMapping.EndpointIndependent, NatBehaviour.EndpointIndependent), (introduced.RemoteMapping, introduced.RemoteFiltering));
        Assert.Equal((PunchStrategy.Regular, 0), (introduced.Strategy, introduced.PredictionCount));
        var bobIntroduced = bob.All<IntroducedEvent>().Single();
        Assert.Equal((NatMapping.EndpointDependent, NatBehaviour.EndpointIndependent, PunchStrategy.Regular),
            (bobIntroduced.RemoteMapping, bobIntroduced.RemoteFiltering, bobIntroduced.Strategy));
        Assert.Contains("\"remoteNatFiltering\":\"endpoint-independent\",\"strategy\":\"regular\"", alice.OutputText, StringComparison.Ordinal);
        Assert.Equal(2, alice.All<PingsDoneEvent>().Single().Summary.Received);
        await stopBob.CancelAsync();
        Assert.Equal(ExitCodes.Success, await bobRun.WaitAsync(RunTimeout));
    }
}
