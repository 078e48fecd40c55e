using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Tests.Relay;
using Punch.Server.Tests.Rendezvous;
using Xunit.Abstractions;

namespace Punch.Server.Tests.OpenInternet;

/// <summary>
/// Requests sent in a victim's name. Each victim is a real socket on its own loopback address; the
/// attacker writes datagrams from it but never reads what comes back (a spoofer cannot), and the test
/// counts the bytes the server sent there against the bytes "the victim" sent. Before return
/// routability: 876 bytes in became 38,016 out (43x) through retransmitted introductions, and one
/// spoofed RelayActivate pointed a session's relay at a victim (6 MB in 2 s).
/// </summary>
public sealed class SpoofedSourceTests(ITestOutputHelper output)
    : RelayHost(new Dictionary<string, string?> { ["Rendezvous:IntroductionRetransmit"] = "00:00:00.020" })
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Registrations_and_a_connect_in_two_victims_names_earn_them_at_most_three_times_what_was_sent()
    {
        using var victimA = new UdpTestClient(Server, IPAddress.Parse("127.0.0.5"));
        using var victimB = new UdpTestClient(Server, IPAddress.Parse("127.0.0.6"));
        long sentA = 0, sentB = 0;
        // The attack as reproduced: register one name per victim, connect them, and repeat the registrations a few times.
        for (int round = 0; round < 4; round++)
        {
            sentA += Spoof(victimA, b => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("default", "alice"), [new IPEndPoint(IPAddress.Parse("198.18.0.5"), 5000)], NatMapping.EndpointIndependent).WriteTo(b));
            sentB += Spoof(victimB, b => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("default", "bob"), [new IPEndPoint(IPAddress.Parse("198.18.0.6"), 5000)], NatMapping.EndpointIndependent).WriteTo(b));
            sentA += Spoof(victimA, b => new ConnectRequest(TransactionId.NewRandom(), new PeerIdentity("default", "alice"), "bob").WriteTo(b));
        }

        // Introductions are retransmitted 7 times, 20 ms doubling: about 2.5 s. Read everything that arrives in that time and after.
        var receivedA = await DrainAsync(victimA, TimeSpan.FromSeconds(4));
        var receivedB = await DrainAsync(victimB, TimeSpan.FromSeconds(4));
        output.WriteLine($"victim A: {sentA} B sent in its name, {receivedA.Sum(d => d.Length)} B received in {receivedA.Count} datagrams");
        output.WriteLine($"victim B: {sentB} B sent in its name, {receivedB.Sum(d => d.Length)} B received in {receivedB.Count} datagrams");

        Assert.InRange(receivedA.Sum(d => d.Length), 0, 3 * sentA);
        Assert.InRange(receivedB.Sum(d => d.Length), 0, 3 * sentB);
        Assert.DoesNotContain(receivedA.Concat(receivedB), d => Introduction.TryRead(d, out _));
        // What the victims did get says what to do: a peer too old to echo the cookie shows a 438 with a reason, not silence.
        var challenge = receivedA.Select(d => AddressChallenge.TryRead(d, out var c) ? c : (AddressChallenge?)null).First(c => c is not null)!.Value;
        Assert.False(string.IsNullOrEmpty(challenge.Reason));
        Assert.True(Limits.AddressChallenges >= 8, $"{Limits.AddressChallenges} challenges counted");
    }

    [Fact]
    public async Task A_spoofed_relay_activation_gets_the_victim_at_most_a_challenge_no_larger_than_itself_and_binds_nothing()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);
        using var victim = new UdpTestClient(Server, IPAddress.Parse("127.0.0.7"));
        // The attacker is alice's own peer (it knows her session password) and names the victim as her source.
        var activation = RelayPair.ActivateRequest(pair.ToAlice);
        victim.Send(activation);
        await pair.ActivateAsync(pair.Bob, pair.ToBob);
        for (int i = 0; i < 200; i++)
        {
            pair.Bob.Send(pair.Frame(1000));
        }

        var received = await DrainAsync(victim, TimeSpan.FromSeconds(2));
        output.WriteLine($"victim: {activation.Length} B sent in its name, {received.Sum(d => d.Length)} B received in {received.Count} datagrams");
        var only = Assert.Single(received);
        Assert.True(AddressChallenge.TryRead(only, out _), "the one datagram is an address challenge");
        Assert.InRange(only.Length, 0, activation.Length);
        Assert.Equal(0, Database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'RelayActivated' AND PublicEndpoint = '{victim.LocalEndPoint}'"));
    }

    [Fact]
    public async Task A_peer_whose_source_changed_proves_it_with_the_cookie_and_the_relay_follows_it()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);
        await pair.ActivateBothAsync();
        // Alice's NAT gave her a new port: her activation from there is challenged, and the echo binds her side.
        using var moved = new UdpTestClient(Server);
        var first = await moved.RequestOnceAsync(RelayPair.ActivateRequest(pair.ToAlice));
        Assert.True(AddressChallenge.TryRead(first, out var challenge), "an activation from a new source is challenged");
        var reply = await moved.RequestOnceAsync(RelayPair.ActivateRequest(pair.ToAlice, cookie: challenge.Cookie));
        Assert.True(RelayActivateResponse.TryRead(reply, out var activated), "the cookie's echo is accepted");
        Assert.Equal(moved.LocalEndPoint, activated.MappedEndPoint);

        pair.Bob.Send(pair.Frame(100, marker: 0x21));
        var frame = await moved.ReceiveAsync();
        Assert.Equal(pair.Frame(100, marker: 0x21), frame);

        // A cookie minted for one source proves nothing for another.
        using var other = new UdpTestClient(Server, IPAddress.Parse("127.0.0.8"));
        var stolen = await other.RequestOnceAsync(RelayPair.ActivateRequest(pair.ToAlice, cookie: challenge.Cookie));
        Assert.True(AddressChallenge.TryRead(stolen, out _), "a cookie echoed from another source is challenged again");
    }

    private static int Spoof(UdpTestClient victim, Func<byte[], int> write)
    {
        var datagram = victim.Build(write);
        victim.Send(datagram);
        return datagram.Length;
    }

    /// <summary>Everything that arrives until nothing has for <see cref="Quiet"/>, at most <paramref name="limit"/>.</summary>
    private static async Task<List<byte[]>> DrainAsync(UdpTestClient socket, TimeSpan limit)
    {
        var received = new List<byte[]>();
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            try
            {
                received.Add(await socket.ReceiveAsync(Quiet));
            }
            catch (OperationCanceledException)
            {
                if (DateTime.UtcNow + Quiet >= until)
                {
                    break;
                }
            }
        }

        return received;
    }
}
