using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Punch.Server.Api;
using Punch.Server.Events;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Storage;

/// <summary>
/// Each kind's typed event goes through the real channel, SQLite writer and projector, and the REST API gives
/// back the flat shape with every field the kind carries. The expected rows are written out by hand, not made
/// with <see cref="PunchEvent.ToStored"/>, so a mapping that drops or misplaces a field fails here.
/// </summary>
public sealed class EventKindRoundTripTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private const string Session = "7f3a9c21e0b4d5f6";
    private readonly TempDatabase _database = new();
    private readonly DateTimeOffset _at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_typed_event_of_every_kind_is_stored_and_read_back_with_its_fields()
    {
        var cases = Cases();
        Assert.Equal(Enum.GetValues<PunchEventKind>().Order(), cases.Select(c => c.Published.Kind).Order());
        await using var app = new PunchAppFactory(_database);
        using var client = app.CreateClient();

        foreach (var (published, _) in cases)
        {
            Assert.True(app.Sink.TryPublish(published));
        }

        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == cases.Count, $"{cases.Count} events stored", Limit);
        using var response = await client.GetAsync("/api/events?afterId=0&limit=1000").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var options = new JsonSerializerOptions();
        PunchJson.Configure(options);
        var read = await response.Content.ReadFromJsonAsync<List<StoredEvent>>(options).WaitAsync(Limit);

        Assert.NotNull(read);
        Assert.Equal(cases.Count, read.Count);
        foreach (var ((_, expected), actual) in cases.Zip(read))
        {
            // Records compare lists by reference: the candidates are compared on their own.
            Assert.Equal(expected with { Id = actual.Id, Candidates = null }, actual with { Candidates = null });
            Assert.Equal(expected.Candidates, actual.Candidates);
        }

        // The projector saw the typed fields too: the session got both sides' NAT and the reported path.
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Sessions WHERE Id = '{Session}' AND NatMappingB = 'endpoint-dependent' AND PathKind = 'relayed' AND ChecksSent = 9 AND RelayBytes = 4096"));
        Assert.Equal(1, _database.Scalar("SELECT COUNT(*) FROM Peers WHERE Name = 'alice' AND NatFiltering = 'address-dependent' AND Hairpinning = 1"));
    }

    private List<(PunchEvent Published, StoredEvent Expected)> Cases()
    {
        var peer = new StoredEvent { Kind = PunchEventKind.Registered, At = _at, Network = "trip", Peer = "alice" };
        var session = peer with { SessionId = Session, OtherPeer = "bob" };
        return
        [
            (new PeerRegistered
            {
                At = _at, Network = "trip", Peer = "alice", PublicEndpoint = "203.0.113.7:40000", Candidates = ["host 198.18.0.2:5000", "srflx 203.0.113.7:40000"],
                Nat = new NatReportText { Mapping = "endpoint-independent", Filtering = "address-dependent", Hairpinning = true, PortPreserved = false },
            },
            peer with
            {
                PublicEndpoint = "203.0.113.7:40000", Candidates = ["host 198.18.0.2:5000", "srflx 203.0.113.7:40000"],
                NatMapping = "endpoint-independent", NatFiltering = "address-dependent", Hairpinning = true, PortPreserved = false,
            }),
            (new PeerRefreshed { At = _at, Network = "trip", Peer = "alice", PublicEndpoint = "203.0.113.7:40001", Nat = new NatReportText { Mapping = "endpoint-dependent" } },
                peer with { Kind = PunchEventKind.Refreshed, PublicEndpoint = "203.0.113.7:40001", NatMapping = "endpoint-dependent" }),
            (new PeerGone(PunchEventKind.Expired) { At = _at, Network = "trip", Peer = "carol", Reason = "no refresh for 60 s" },
                peer with { Kind = PunchEventKind.Expired, Peer = "carol", Reason = "no refresh for 60 s" }),
            (new PeerGone(PunchEventKind.Unregistered) { At = _at, Network = "trip", Peer = "dave", PublicEndpoint = "203.0.113.8:40000", Reason = "the peer said goodbye" },
                peer with { Kind = PunchEventKind.Unregistered, Peer = "dave", PublicEndpoint = "203.0.113.8:40000", Reason = "the peer said goodbye" }),
            (new RequestRejected { At = _at, Network = "trip", Peer = "eve", PublicEndpoint = "198.51.100.1:1234", Reason = "name taken" },
                peer with { Kind = PunchEventKind.Rejected, Peer = "eve", PublicEndpoint = "198.51.100.1:1234", Reason = "name taken" }),
            (new SessionStep(PunchEventKind.ConnectRequested) { At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session },
                session with { Kind = PunchEventKind.ConnectRequested }),
            (new SessionIntroduced
            {
                At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session, Candidates = ["alice host 198.18.0.2:5000", "bob host 198.18.1.2:5000"],
                NatMapping = "endpoint-independent", OtherNatMapping = "endpoint-dependent", NatFiltering = "address-dependent", OtherNatFiltering = "endpoint-independent", RelayChannel = 0x4001,
            },
            session with
            {
                Kind = PunchEventKind.Introduced, Candidates = ["alice host 198.18.0.2:5000", "bob host 198.18.1.2:5000"],
                NatMapping = "endpoint-independent", OtherNatMapping = "endpoint-dependent", NatFiltering = "address-dependent", OtherNatFiltering = "endpoint-independent", RelayChannel = 0x4001,
            }),
            (new SessionStep(PunchEventKind.Punching) { At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session },
                session with { Kind = PunchEventKind.Punching }),
            (new ChecksSummarized { At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session, ElapsedMs = 812.5, ChecksSent = 9, ChecksReceived = 0 },
                session with { Kind = PunchEventKind.ChecksSummary, ElapsedMs = 812.5, ChecksSent = 9, ChecksReceived = 0 }),
            (new RelayEvent(PunchEventKind.RelayAllocated) { At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session, RelayChannel = 0x4001, RelayBytes = 0 },
                session with { Kind = PunchEventKind.RelayAllocated, RelayChannel = 0x4001, RelayBytes = 0 }),
            (new RelayEvent(PunchEventKind.RelayActivated) { At = _at, Network = "trip", Peer = "bob", OtherPeer = "alice", SessionId = Session, RelayChannel = 0x4001, RelayBytes = 0, PublicEndpoint = "203.0.113.9:40000" },
                session with { Kind = PunchEventKind.RelayActivated, Peer = "bob", OtherPeer = "alice", RelayChannel = 0x4001, RelayBytes = 0, PublicEndpoint = "203.0.113.9:40000" }),
            (new PathReported(PunchEventKind.PathUp)
            {
                At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session, PathKind = "relayed", RemoteEndpoint = "203.0.113.1:3478",
                ElapsedMs = 900, RttMs = 12.25, ChecksSent = 9, ChecksReceived = 0, BytesDirect = 0, BytesRelayed = 2048,
            },
            session with
            {
                Kind = PunchEventKind.PathUp, PathKind = "relayed", RemoteEndpoint = "203.0.113.1:3478", ElapsedMs = 900, RttMs = 12.25, ChecksSent = 9, ChecksReceived = 0, BytesDirect = 0, BytesRelayed = 2048,
            }),
            (new PathReported(PunchEventKind.PathChanged) { At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session, PathKind = "relayed", RemoteEndpoint = "203.0.113.1:3478", ElapsedMs = 900, RttMs = 12.25 },
                session with { Kind = PunchEventKind.PathChanged, PathKind = "relayed", RemoteEndpoint = "203.0.113.1:3478", ElapsedMs = 900, RttMs = 12.25 }),
            (new RelayEvent(PunchEventKind.RelayLimit) { At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session, RelayChannel = 0x4001, RelayBytes = 4096, Reason = "rate limit" },
                session with { Kind = PunchEventKind.RelayLimit, RelayChannel = 0x4001, RelayBytes = 4096, Reason = "rate limit" }),
            (new SessionEnded(PunchEventKind.Failed) { At = _at, Network = "trip", Peer = "bob", OtherPeer = "alice", SessionId = Session, Reason = "no direct path", ElapsedMs = 5000, ChecksSent = 7, ChecksReceived = 1, BytesDirect = 0, BytesRelayed = 10 },
                session with { Kind = PunchEventKind.Failed, Peer = "bob", OtherPeer = "alice", Reason = "no direct path", ElapsedMs = 5000, ChecksSent = 7, ChecksReceived = 1, BytesDirect = 0, BytesRelayed = 10 }),
            (new RelayEvent(PunchEventKind.RelayReleased) { At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session, RelayChannel = 0x4001, RelayBytes = 4096, Reason = "channel freed: session over" },
                session with { Kind = PunchEventKind.RelayReleased, RelayChannel = 0x4001, RelayBytes = 4096, Reason = "channel freed: session over" }),
            (new SessionEnded(PunchEventKind.Closed) { At = _at, Network = "trip", Peer = "alice", OtherPeer = "bob", SessionId = Session, Reason = "peer closed" },
                session with { Kind = PunchEventKind.Closed, Reason = "peer closed" }),
            (new ServiceEvent(PunchEventKind.Exposed) { At = _at, Network = "trip", Peer = "alice", PublicEndpoint = "203.0.113.7:40000", Reason = "public port 8080 → 127.0.0.1:80" },
                peer with { Kind = PunchEventKind.Exposed, PublicEndpoint = "203.0.113.7:40000", Reason = "public port 8080 → 127.0.0.1:80" }),
            (new ServiceEvent(PunchEventKind.VisitorConnected) { At = _at, Network = "trip", Peer = "alice", PublicEndpoint = "203.0.113.7:40000", Reason = "visitor on public port 8080", RemoteEndpoint = "198.51.100.20:50000" },
                peer with { Kind = PunchEventKind.VisitorConnected, PublicEndpoint = "203.0.113.7:40000", Reason = "visitor on public port 8080", RemoteEndpoint = "198.51.100.20:50000" }),
            (new ServiceEvent(PunchEventKind.VisitorClosed) { At = _at, Network = "trip", Peer = "alice", PublicEndpoint = "203.0.113.7:40000", Reason = "10 bytes in, 20 bytes out: done", RemoteEndpoint = "198.51.100.20:50000", RelayBytes = 30 },
                peer with { Kind = PunchEventKind.VisitorClosed, PublicEndpoint = "203.0.113.7:40000", Reason = "10 bytes in, 20 bytes out: done", RemoteEndpoint = "198.51.100.20:50000", RelayBytes = 30 }),
            (new ServiceEvent(PunchEventKind.Unexposed) { At = _at, Network = "trip", Peer = "alice", PublicEndpoint = "203.0.113.7:40000", Reason = "public port 8080 closed: bye", RelayBytes = 30 },
                peer with { Kind = PunchEventKind.Unexposed, PublicEndpoint = "203.0.113.7:40000", Reason = "public port 8080 closed: bye", RelayBytes = 30 }),
        ];
    }
}
