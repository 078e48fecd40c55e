using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Hosting;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Tests;

public class RendezvousClientTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 3478);

    [Fact]
    public void Unanswered_requests_are_retransmitted_with_doubling_intervals_then_given_up()
    {
        var time = new FakeTimeProvider();
        var sent = new RecordingSender(time);
        var client = new RendezvousClient(Server, sent, time);
        ReplyKind? outcome = null;

        client.Send(Wire.Encode(new RefreshRequest(TransactionId.NewRandom(), new PeerIdentity("default", "a"), null).WriteTo), (kind, _) => outcome = kind);
        for (int i = 0; i < 200 && outcome is null; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            client.OnTimer();
        }

        Assert.Equal(ReplyKind.NoAnswer, outcome);
        Assert.Equal(RendezvousClient.DefaultAttempts, sent.SentAt.Count);
        var gaps = sent.SentAt.Zip(sent.SentAt.Skip(1), (a, b) => b - a).Select(g => g.TotalMilliseconds).ToList();
        Assert.Equal([250, 500, 1000, 2000, 2000, 2000], gaps);
        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public void An_answer_completes_the_request_once_and_stops_retransmission()
    {
        var time = new FakeTimeProvider();
        var sent = new RecordingSender(time);
        var client = new RendezvousClient(Server, sent, time);
        var transactionId = TransactionId.NewRandom();
        var replies = new List<ReplyKind>();
        client.Send(Wire.Encode(new ConnectRequest(transactionId, new PeerIdentity("default", "a"), "b").WriteTo), (kind, _) => replies.Add(kind));

        var answer = Wire.Encode(new ConnectResponse(transactionId, new SessionId(1), ConnectStatus.Introducing).WriteTo);
        Assert.True(client.TryHandleResponse(answer));
        Assert.True(client.TryHandleResponse(answer));
        time.Advance(TimeSpan.FromSeconds(30));
        client.OnTimer();

        Assert.Equal([ReplyKind.Success], replies);
        Assert.Single(sent.SentAt);
        Assert.False(client.TryHandleResponse(Wire.Encode(new BindingRequest(TransactionId.NewRandom()).WriteTo)));
    }

    private sealed class RecordingSender(TimeProvider time) : IDatagramSender
    {
        private readonly DateTimeOffset _start = time.GetUtcNow();

        public List<TimeSpan> SentAt { get; } = [];

        public void Send(IPEndPoint to, ReadOnlySpan<byte> datagram) => SentAt.Add(time.GetUtcNow() - _start);
    }
}
