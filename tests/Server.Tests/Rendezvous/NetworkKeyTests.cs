using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>Keyed networks over real UDP on loopback: who may register, connect and report, and who may not.</summary>
public sealed class NetworkKeyTests : IAsyncLifetime
{
    private const string HomeKey = "correct horse battery staple";
    private static readonly byte[] HomeSigningKey = MessageAuthentication.DeriveKey("home", HomeKey);
    private static readonly byte[] WrongSigningKey = MessageAuthentication.DeriveKey("home", "incorrect horse battery staple");
    private static readonly PeerIdentity Alice = new("home", "alice");
    private static readonly PeerIdentity Bob = new("home", "bob");

    private readonly TempDatabase _database = new();
    private PunchAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Networks:home:Key"] = HomeKey });
        _ = _app.Services; // starts the host, binding the UDP port
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _database.Dispose();
    }

    private IPEndPoint Server => _app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;

    private static MessageSignature SignedNow(byte[] key, TimeSpan? offset = null) => new(key, DateTimeOffset.UtcNow + (offset ?? TimeSpan.Zero));

    private static byte[] Register(UdpTestClient client, PeerIdentity peer, MessageSignature? signature, AddressCookie? cookie = null) =>
        client.Build(b => new RegisterRequest(TransactionId.NewRandom(), peer, [], Cookie: cookie).WriteTo(b, signature));

    /// <summary>A signed Register as a peer sends it: answered with an address challenge, then again signed with the cookie.</summary>
    private static Task<byte[]> RegisterSignedAsync(UdpTestClient client, PeerIdentity peer, byte[] key) =>
        client.RequestAsync(Register(client, peer, SignedNow(key)), cookie => Register(client, peer, SignedNow(key), cookie));

    private static ErrorResponse AssertError(byte[] reply, int code)
    {
        Assert.True(ErrorResponse.TryRead(reply, out var error), "expected an error response");
        Assert.Equal(code, error.Code);
        return error;
    }

    private Task<long> RejectedEventsAsync(string peer, string reasonPrefix) =>
        Eventually.WaitForAsync(() => _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'Rejected' AND Peer = '{peer}' AND Reason LIKE '{reasonPrefix}%'"),
            n => n >= 1, $"a Rejected event for {peer} starting '{reasonPrefix}'");

    [Fact]
    public async Task Register_without_a_key_is_refused_with_401_and_a_rejected_event()
    {
        using var client = new UdpTestClient(Server);
        var request = Register(client, Alice, signature: null);

        var reply = await client.RequestAsync(request);

        Assert.Equal("no key", AssertError(reply, PunchErrorCode.Unauthenticated).Reason);
        Assert.True(reply.Length <= request.Length + ReplyBudget.AmplificationAllowance);
        await RejectedEventsAsync("alice", "no key");
        Assert.Equal(0, _database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind = 'Registered' AND Peer = 'alice'"));
    }

    [Fact]
    public async Task Register_with_a_wrong_key_is_refused()
    {
        using var client = new UdpTestClient(Server);

        var reply = await client.RequestAsync(Register(client, Alice, SignedNow(WrongSigningKey)));

        Assert.Equal("wrong key", AssertError(reply, PunchErrorCode.Unauthenticated).Reason);
        await RejectedEventsAsync("alice", "wrong key");
    }

    [Fact]
    public async Task Register_with_the_right_key_works_and_an_open_network_is_unaffected()
    {
        using var alice = new UdpTestClient(Server);
        using var carol = new UdpTestClient(Server);

        var keyed = await RegisterSignedAsync(alice, Alice, HomeSigningKey);
        var open = await carol.RequestAsync(Register(carol, new PeerIdentity("default", "carol"), signature: null));

        Assert.True(RegistrationResponse.TryRead(keyed, out var registered));
        Assert.Equal(alice.LocalEndPoint, registered.PublicEndPoint);
        Assert.True(RegistrationResponse.TryRead(open, out _));
    }

    [Fact]
    public async Task A_captured_request_replayed_from_elsewhere_is_refused_but_a_retransmission_gets_the_same_answer()
    {
        using var alice = new UdpTestClient(Server);
        using var attacker = new UdpTestClient(Server);
        var challenge = await alice.RequestOnceAsync(Register(alice, Alice, SignedNow(HomeSigningKey)));
        Assert.True(AddressChallenge.TryRead(challenge, out var proof), "a first registration is answered with an address challenge");
        var request = Register(alice, Alice, SignedNow(HomeSigningKey), proof.Cookie);
        var first = await alice.RequestOnceAsync(request);
        Assert.True(RegistrationResponse.TryRead(first, out _));

        // The same bytes from another address: a replay (RFC 8489 §6.3.1: a retransmission comes from the same source).
        var replayed = await attacker.RequestAsync(request);
        Assert.Equal("replayed", AssertError(replayed, PunchErrorCode.Unauthenticated).Reason);
        await RejectedEventsAsync("alice", "replayed");

        // The same bytes from alice again: her answer was lost, she retransmits; the server answers the same without acting twice.
        var retransmitted = await alice.RequestAsync(request);
        Assert.Equal(first, retransmitted);
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(45)]
    public async Task A_signature_far_from_the_server_clock_is_refused(int secondsOff)
    {
        using var client = new UdpTestClient(Server);

        var reply = await client.RequestAsync(Register(client, Alice, SignedNow(HomeSigningKey, TimeSpan.FromSeconds(secondsOff))));

        Assert.Equal("clock skew", AssertError(reply, PunchErrorCode.Unauthenticated).Reason);
        await RejectedEventsAsync("alice", "clock skew");
    }

    [Fact]
    public async Task Connect_and_report_need_the_key_too_and_introductions_are_signed()
    {
        using var alice = new UdpTestClient(Server);
        using var bob = new UdpTestClient(Server);
        await RegisterSignedAsync(alice, Alice, HomeSigningKey);
        await RegisterSignedAsync(bob, Bob, HomeSigningKey);

        var unsigned = await alice.RequestAsync(alice.Build(b => new ConnectRequest(TransactionId.NewRandom(), Alice, "bob").WriteTo(b)));
        AssertError(unsigned, PunchErrorCode.Unauthenticated);
        Assert.True(await bob.StaysQuietAsync(TimeSpan.FromMilliseconds(500)), "an unsigned connect must not introduce anyone");

        var connect = await alice.RequestAsync(alice.Build(b => new ConnectRequest(TransactionId.NewRandom(), Alice, "bob").WriteTo(b, SignedNow(HomeSigningKey))));
        Assert.True(ConnectResponse.TryRead(connect, out var accepted));
        var toBob = await ReceiveIntroductionAsync(bob);
        Assert.Equal(SignatureCheck.Valid, MessageAuthentication.Verify(toBob, HomeSigningKey, out var signedAt));
        Assert.InRange(signedAt, DateTimeOffset.UtcNow.AddSeconds(-10), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(SignatureCheck.WrongKey, MessageAuthentication.Verify(toBob, WrongSigningKey, out _));

        var report = new ReportRequest(TransactionId.NewRandom(), Bob, accepted.SessionId, SessionOutcome.Failed, Reason: "test");
        AssertError(await bob.RequestAsync(bob.Build(b => report.WriteTo(b))), PunchErrorCode.Unauthenticated);
        Assert.True(SuccessResponse.TryRead(await bob.RequestAsync(bob.Build(b => report.WriteTo(b, SignedNow(HomeSigningKey)))), out _));
    }

    [Fact]
    public async Task Setting_a_key_at_run_time_forgets_the_networks_registrations_and_requires_it()
    {
        using var carol = new UdpTestClient(Server);
        var carolId = new PeerIdentity("lab", "carol");
        Assert.True(RegistrationResponse.TryRead(await carol.RequestAsync(Register(carol, carolId, signature: null)), out _));
        var keys = _app.Services.GetRequiredService<NetworkKeys>();

        keys.Set("lab", "a brand new lab network key");

        Assert.True(keys.RequiresKey("lab"));
        Assert.Contains("lab", keys.ProtectedNetworks);
        var refresh = await carol.RequestAsync(carol.Build(b => new RefreshRequest(TransactionId.NewRandom(), carolId, null).WriteTo(b)));
        AssertError(refresh, PunchErrorCode.Unauthenticated);
        var signedKey = MessageAuthentication.DeriveKey("lab", "a brand new lab network key");
        var signedRefresh = await carol.RequestAsync(carol.Build(b => new RefreshRequest(TransactionId.NewRandom(), carolId, null).WriteTo(b, SignedNow(signedKey))));
        AssertError(signedRefresh, PunchErrorCode.NotRegistered);

        keys.Set("lab", null);
        Assert.False(keys.RequiresKey("lab"));
        Assert.Throws<ArgumentException>(() => keys.Set("lab", "too short"));
    }

    private static async Task<byte[]> ReceiveIntroductionAsync(UdpTestClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            var datagram = await client.ReceiveAsync(deadline - DateTime.UtcNow);
            if (Introduction.TryRead(datagram, out _))
            {
                return datagram;
            }
        }

        throw new TimeoutException("no introduction arrived");
    }
}
