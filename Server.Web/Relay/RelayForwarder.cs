using System.Buffers.Binary;
using System.Net;
using Punch.Core.Peering;
using Punch.Server.Rendezvous;
using Punch.Server.Udp;

namespace Punch.Server.Relay;

/// <summary>
/// The relay's data plane: a ChannelData-framed datagram (RFC 8656 §12.4: channel 0x4000-0x4FFF, length,
/// payload) from one side of a session goes, unchanged, to the other side, and to nobody else (no
/// open relay, RFC 8656 §9: only permitted peers). Runs on the main port's receive threads before the
/// per-source rate limit (each allocation has its own byte limits, and a relay that forwards 100
/// packets a second is no relay); the work per datagram is an array read, two compares, a token
/// bucket (under the allocation's own lock) and the send: no allocation.
/// </summary>
public sealed class RelayForwarder(SessionRelay relay, RelayStats stats, RendezvousStats rendezvousStats) : IRelayForwarder
{
    private readonly RelayChannelTable _table = relay.Table;
    private readonly TimeProvider _time = relay.Time;
    private readonly double _bytesPerTick = relay.Options.BytesPerSecond / (double)relay.Time.TimestampFrequency;
    private readonly double _burst = relay.Options.BurstBytes;
    private readonly long _maxBytes = relay.Options.MaxBytes;
    private readonly string _rateReason = $"relay limit of {relay.Options.BytesPerSecond} bytes per second (burst {relay.Options.BurstBytes}) exceeded: slow down, then activate again";
    private readonly string _totalReason = $"relay limit of {relay.Options.MaxBytes} bytes reached for this session";

    /// <summary>
    /// Handles the datagram when it is a relay frame (first two bits 01: never STUN, RFC 7983 §7) and
    /// returns true, forwarded or dropped; false leaves it to the STUN handler.
    /// </summary>
    public bool TryForward(ReadOnlySpan<byte> datagram, SocketAddress from, IRawDatagramSender sender)
    {
        if (!PeerFrame.LooksLikePeerFrame(datagram))
        {
            return false;
        }

        // RFC 8656 §12.5: over UDP padding may follow the declared length, but the length must fit.
        if (PeerFrame.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) > datagram.Length)
        {
            stats.DroppedMalformed();
            rendezvousStats.Malformed();
            return true;
        }

        if (_table.ByChannel(BinaryPrimitives.ReadUInt16BigEndian(datagram)) is not { } allocation)
        {
            // Most likely not a frame at all (any datagram whose first byte is 0x40-0x7F looks like one): malformed for the rendezvous too.
            stats.DroppedUnknownChannel();
            rendezvousStats.Malformed();
            return true;
        }

        RelaySide source;
        if (allocation.Requester.IsSource(from))
        {
            source = allocation.Requester;
        }
        else if (allocation.Target.IsSource(from))
        {
            source = allocation.Target;
        }
        else
        {
            stats.DroppedForeignSource();
            return true;
        }

        var to = allocation.OtherSide(source).SendAddress;
        if (allocation.State != RelayState.Forwarding || to is null)
        {
            allocation.PacketsDropped++;
            stats.DroppedNotForwarding();
            return true;
        }

        long now = _time.GetTimestamp();
        if (!TryConsume(allocation, datagram.Length, now, sender))
        {
            return true;
        }

        sender.Send(datagram, to);
        Volatile.Write(ref source.PacketsForwarded, source.PacketsForwarded + 1);
        Volatile.Write(ref source.BytesForwarded, source.BytesForwarded + datagram.Length);
        Volatile.Write(ref allocation.LastActivity, now);
        stats.Forwarded(datagram.Length);
        return true;
    }

    /// <summary>The total and the token bucket; over either, the relay stops for the session and says why.</summary>
    private bool TryConsume(RelayAllocation allocation, int bytes, long now, IRawDatagramSender sender)
    {
        if (allocation.BytesForwarded + bytes > _maxBytes)
        {
            relay.StopForLimit(allocation, LimitKind.RelayTotalBytes, _totalReason, sender);
            return false;
        }

        bool within;
        lock (allocation.BucketGate)
        {
            double tokens = Math.Min(_burst, allocation.Tokens + ((now - allocation.LastRefill) * _bytesPerTick));
            allocation.LastRefill = now;
            within = tokens >= bytes;
            allocation.Tokens = within ? tokens - bytes : tokens;
        }

        if (!within)
        {
            // Outside the bucket's lock: stopping takes the relay's own.
            relay.StopForLimit(allocation, LimitKind.RelayBytesPerSecond, _rateReason, sender);
            return false;
        }

        return true;
    }
}
