using System.Net;
using Punch.Core.Stun;

namespace Punch.Server.Rendezvous;

/// <summary>An introduction on its way to one side, retransmitted until acknowledged.</summary>
public sealed class PendingIntroduction(TransactionId transactionId, byte[] datagram, IPEndPoint to, DateTimeOffset nextSend, TimeSpan interval)
{
    public TransactionId TransactionId { get; } = transactionId;
    public byte[] Datagram { get; } = datagram;
    public IPEndPoint To { get; } = to;
    public DateTimeOffset NextSend { get; set; } = nextSend;
    public TimeSpan Interval { get; set; } = interval;
    public int Attempts { get; set; } = 1;
}
