using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Server.Udp;
using Punch.Tests.Shared;
using Xunit.Abstractions;

namespace Punch.Server.Tests.Limits;

/// <summary>
/// An unauthenticated request never earns a reply larger than itself by more than the STUN
/// header and a mapped address. Drives the real handler (from the running server) with every kind of
/// request a stranger can send, and every shortening of each, and measures what goes back to the source.
/// </summary>
public sealed class AmplificationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly IPEndPoint Stranger = new(IPAddress.Parse("198.51.100.9"), 5000);
    private static readonly IPEndPoint Stranger6 = new(IPAddress.Parse("2001:db8::9"), 5000);
    private static readonly IPEndPoint AliceAt = new(IPAddress.Parse("203.0.113.1"), 40001);
    private static readonly IPEndPoint BobAt = new(IPAddress.Parse("203.0.113.2"), 40002);
    private static readonly ushort[] Methods = [StunMessageType.BindingMethod, PunchMethod.Register, PunchMethod.Refresh, PunchMethod.Connect, PunchMethod.Introduction, PunchMethod.Report, PunchMethod.RelayActivate, 0x0FF, 0xD7F];

    private readonly TempDatabase _database = new();
    private readonly RecordingSender _sender = new();
    private readonly byte[] _reply = new byte[StunConstants.MaxMessageLength];
    private PunchAppFactory _app = null!;
    private RendezvousHandler _handler = null!;
    private AddressProof _proof = null!;

    public Task InitializeAsync()
    {
        // A low per-address cap so the "refused by a cap" reply is among the measured ones.
        _app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Rendezvous:MaxPeersPerAddress"] = "3" });
        _handler = _app.Services.GetRequiredService<RendezvousHandler>();
        _proof = _app.Services.GetRequiredService<AddressProof>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public void No_unauthenticated_request_earns_more_than_a_header_and_an_address_beyond_its_own_size()
    {
        Send(Register("alice", [], AliceAt), AliceAt);
        Send(Register("bob", [], BobAt), BobAt);
        var cases = new List<(string Kind, byte[] Request, IPEndPoint From)>();
        foreach (var from in new[] { Stranger, Stranger6 })
        {
            foreach (ushort method in Methods)
            {
                cases.Add(($"header-only 0x{method:X3}", HeaderOnly(method, fingerprint: false), from));
                cases.Add(($"header-only 0x{method:X3} + FINGERPRINT", HeaderOnly(method, fingerprint: true), from));
            }

            // Without a cookie a Register earns only the address challenge; with one (a source that can receive) it gets as far as the caps.
            cases.Add(("Register (new name, unproven: challenged)", Register($"u{from.AddressFamily}", []), from));
            cases.Add(("Register (16 host candidates, unproven)", Register("many", [.. Enumerable.Range(1, 16).Select(i => new IPEndPoint(IPAddress.Loopback, 4000 + i))]), from));
            cases.Add(("Register (new name)", Register($"s{from.AddressFamily}", [], from), from));
            cases.Add(("Register (name held by a live peer)", Register("alice", [], from), from));
            cases.AddRange(Enumerable.Range(0, 4).Select(i => ("Register (refused: too many from this address)", Register($"cap{i}", [], from), from)));
            cases.Add(("Refresh (registered elsewhere)", Build(b => new RefreshRequest(TransactionId.NewRandom(), Peer("alice"), null).WriteTo(b)), from));
            cases.Add(("Refresh (unknown)", Build(b => new RefreshRequest(TransactionId.NewRandom(), Peer("nobody"), null).WriteTo(b)), from));
            cases.Add(("Connect (not registered)", Build(b => new ConnectRequest(TransactionId.NewRandom(), Peer("mallory"), "alice").WriteTo(b)), from));
            cases.Add(("Report (unknown session)", Build(b => new ReportRequest(TransactionId.NewRandom(), Peer("alice"), SessionId.NewRandom(), SessionOutcome.Failed, Reason: "x").WriteTo(b)), from));
            cases.Add(("RelayActivate (unknown session)", Build(b => new RelayActivateRequest(TransactionId.NewRandom(), SessionId.NewRandom(), "ufrag").WriteTo(b, ConnectivityCheck.PasswordKey("password"))), from));
            cases.Add(("Introduction ack (unknown session)", Build(b => new IntroductionAck(TransactionId.NewRandom(), SessionId.NewRandom()).WriteTo(b)), from));
        }

        // Every 4-byte shortening of each request, with the header's length made to match, is a well-formed message missing attributes.
        var shortened = cases.SelectMany(c => Shortenings(c.Request).Select(s => ($"{c.Kind} cut to {s.Length} B", s, c.From))).ToList();
        var random = new Random(6);
        var garbage = Enumerable.Range(0, 2000).Select(_ => ("random attributes", RandomMessage(random), random.Next(2) == 0 ? Stranger : Stranger6));

        var measured = cases.Concat(shortened).Concat(garbage).Select(c => (c.Item1, Request: c.Item2.Length, Reply: Send(c.Item2, c.Item3))).ToList();

        var worstRatio = measured.MaxBy(m => (double)m.Reply / m.Request);
        var worstExcess = measured.MaxBy(m => m.Reply - m.Request);
        output.WriteLine($"{measured.Count} requests, {measured.Count(m => m.Reply > 0)} answered");
        output.WriteLine($"worst ratio {(double)worstRatio.Reply / worstRatio.Request:0.00} ({worstRatio.Item1}: {worstRatio.Request} B -> {worstRatio.Reply} B)");
        output.WriteLine($"worst excess {worstExcess.Reply - worstExcess.Request} B of {ReplyBudget.AmplificationAllowance} B allowed ({worstExcess.Item1}: {worstExcess.Request} B -> {worstExcess.Reply} B)");
        foreach (var kind in measured.Where(m => m.Reply > 0).GroupBy(m => m.Item1.Split(" cut to ")[0]).Select(g => g.MaxBy(m => m.Reply - m.Request)).OrderByDescending(m => m.Reply - m.Request).Take(12))
        {
            output.WriteLine($"  {kind.Item1}: {kind.Request} B -> {kind.Reply} B");
        }

        Assert.All(measured, m => Assert.True(m.Reply <= m.Request + ReplyBudget.AmplificationAllowance, $"{m.Item1}: {m.Request} B earned {m.Reply} B"));
        Assert.All(measured, m => Assert.True(m.Reply <= ReplyBudget.MaxAmplification * m.Request, $"{m.Item1}: {m.Request} B earned {m.Reply} B, over 3x"));
        Assert.Contains(measured, m => m.Item1.StartsWith("Register (refused", StringComparison.Ordinal) && m.Reply > 0);
        Assert.Contains(measured, m => m.Item1.StartsWith("Register (new name, unproven", StringComparison.Ordinal) && m.Reply > 0);
    }

    /// <summary>Sends one datagram through the handler; the bytes that went back to its source.</summary>
    private int Send(byte[] request, IPEndPoint from)
    {
        _sender.Sent.Clear();
        _handler.Handle(request, from, _reply, _sender);
        return _sender.Sent.Where(s => s.To.Equals(from)).Sum(s => s.Length);
    }

    private static PeerIdentity Peer(string name) => new("default", name);

    /// <summary>A Register; with <paramref name="provenFrom"/>, carrying the cookie the server mints for that source (as after its challenge).</summary>
    private byte[] Register(string name, IPEndPoint[] hosts, IPEndPoint? provenFrom = null) =>
        Build(b => new RegisterRequest(TransactionId.NewRandom(), Peer(name), [.. hosts], Cookie: provenFrom is null ? null : _proof.Mint(provenFrom)).WriteTo(b));

    private static byte[] HeaderOnly(ushort method, bool fingerprint) => Build(b =>
    {
        var writer = new StunWriter(b, new StunMessageType(method, StunClass.Request), TransactionId.NewRandom());
        return Finish(ref writer, fingerprint);
    });

    private static byte[] RandomMessage(Random random) => Build(b =>
    {
        var writer = new StunWriter(b, new StunMessageType(Methods[random.Next(Methods.Length)], StunClass.Request), TransactionId.NewRandom());
        for (int i = random.Next(4); i > 0; i--)
        {
            var value = new byte[random.Next(0, 24)];
            random.NextBytes(value);
            writer.Add((ushort)random.Next(0x0001, 0xFFFF), value);
        }

        return Finish(ref writer, random.Next(2) == 0);
    });

    private static int Finish(ref StunWriter writer, bool fingerprint)
    {
        if (fingerprint)
        {
            writer.AddFingerprint();
        }

        return writer.Length;
    }

    private static IEnumerable<byte[]> Shortenings(byte[] request)
    {
        for (int length = StunConstants.HeaderLength; length < request.Length; length += 4)
        {
            var cut = request[..length];
            BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(2), (ushort)(length - StunConstants.HeaderLength));
            yield return cut;
        }
    }

    private static byte[] Build(Func<byte[], int> write)
    {
        var buffer = new byte[StunConstants.MaxMessageLength];
        return buffer[..write(buffer)];
    }

    private sealed class RecordingSender : IDatagramSender
    {
        public List<(int Length, IPEndPoint To)> Sent { get; } = [];

        public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to) => Sent.Add((datagram.Length, to));
    }
}
