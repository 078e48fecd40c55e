using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Discovery;

/// <summary>One request in flight and its retransmission schedule (RFC 8489 §6.2.1: doubling RTO, bounded sends).</summary>
internal sealed class DiscoveryProbe(ProbeKind kind, int index, int socket, IPEndPoint to, byte[] datagram, DateTimeOffset firstSend, TimeSpan interval)
{
    public ProbeKind Kind { get; } = kind;
    /// <summary>The lifetime probe's number; 0 for the others.</summary>
    public int Index { get; } = index;
    public int Socket { get; } = socket;
    public IPEndPoint To { get; } = to;
    public byte[] Datagram { get; } = datagram;
    public TransactionId TransactionId { get; } = TransactionId.Read(datagram.AsSpan(8, StunConstants.TransactionIdLength));
    public int Sent { get; private set; }
    public DateTimeOffset NextSend { get; private set; } = firstSend;
    private TimeSpan _interval = interval;

    public DiscoverySend Transmit(DateTimeOffset now, TimeSpan maxInterval)
    {
        Sent++;
        NextSend = now + _interval;
        _interval = _interval * 2 > maxInterval ? maxInterval : _interval * 2;
        return new DiscoverySend(Socket, To, Datagram);
    }
}
