using Punch.Peer.Cli;
using Punch.Peer.Output;
using Punch.Tests.Shared;

namespace Punch.Peer.Tests;

/// <summary>
/// The server registers a peer, and binds a relay side, only from a source that echoed a cookie it was
/// sent (return routability). A peer answers each challenge once, at once, with the same request.
/// </summary>
public class AddressProofPeerTests
{
    private static PeerRunOptions Options(FakeRendezvous server, string name, string? peer = null) => new()
    {
        Server = server.EndPoint,
        Name = name,
        Peer = peer,
        Count = 3,
        Interval = TimeSpan.FromMilliseconds(100),
        Linger = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(20),
        // Only the relay carries traffic: the activation must get through its challenge.
        LoseTraffic = endPoint => !server.Owns(endPoint),
    };

    [Fact]
    public async Task A_challenged_registration_and_relay_activation_are_sent_again_with_the_cookie()
    {
        await using var server = new FakeRendezvous(offerRelay: true) { RequireAddressProof = true };
        server.Relay!.RequireAddressProof = true;
        var alice = new PeerUnderTest(Options(server, "alice", "bob"));
        var bob = new PeerUnderTest(Options(server, "bob", "alice"));

        int[] exitCodes = await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([ExitCodes.Success, ExitCodes.Success], exitCodes);
        Assert.Equal(3, alice.All<PingsDoneEvent>().Single().Summary.Received);
        // At least one per peer: a first Register retransmitted before its challenge arrived is challenged again.
        Assert.True(server.Challenges >= 2, $"{server.Challenges} registration challenges");
        Assert.True(server.Relay.Challenges >= 2, $"{server.Relay.Challenges} relay challenges");
        Assert.All(server.Relay.Activations.Where(a => a.Cookie is not null), a => Assert.Equal(FakeRendezvous.Cookie, a.Cookie));
        Assert.Empty(alice.All<WarningEvent>());
    }
}
