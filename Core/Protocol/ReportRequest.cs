using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Peer → server: how a session went. Which fields are present depends on the outcome.</summary>
public readonly record struct ReportRequest(
    TransactionId TransactionId,
    PeerIdentity Peer,
    SessionId SessionId,
    SessionOutcome Outcome,
    PathKind? PathKind = null,
    IPEndPoint? RemoteEndPoint = null,
    TimeSpan? Elapsed = null,
    TimeSpan? RoundTripTime = null,
    int ChecksSent = 0,
    int ChecksReceived = 0,
    string? Reason = null,
    long BytesDirect = 0,
    long BytesRelayed = 0)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Report, StunClass.Request), TransactionId);
        writer.AddIdentity(Peer);
        writer.AddSessionId(SessionId);
        writer.AddByte(PunchAttributeType.Outcome, (byte)Outcome);
        if (PathKind is { } kind)
        {
            writer.AddByte(PunchAttributeType.PathKind, (byte)kind);
        }

        if (RemoteEndPoint is not null)
        {
            writer.AddXorAddress(PunchAttributeType.RemoteAddress, RemoteEndPoint);
        }

        if (Elapsed is { } elapsed)
        {
            writer.AddUInt32(PunchAttributeType.ElapsedMilliseconds, (uint)Math.Clamp(elapsed.TotalMilliseconds, 0, uint.MaxValue));
        }

        if (RoundTripTime is { } rtt)
        {
            writer.AddUInt32(PunchAttributeType.RttMicroseconds, (uint)Math.Clamp(rtt.TotalMicroseconds, 0, uint.MaxValue));
        }

        writer.AddUInt64(PunchAttributeType.CheckCounts, ((ulong)(uint)ChecksSent << 32) | (uint)ChecksReceived);
        writer.AddOptionalReason(Reason);
        if (BytesDirect > 0 || BytesRelayed > 0)
        {
            Span<byte> bytes = stackalloc byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, Math.Max(0, BytesDirect));
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes[8..], Math.Max(0, BytesRelayed));
            writer.Add(PunchAttributeType.PathBytes, bytes);
        }

        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out ReportRequest report)
    {
        report = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Report, StunClass.Request)
            || !message.TryGetIdentity(out var peer) || !message.TryGetSessionId(out var id)
            || !message.TryGetByte(PunchAttributeType.Outcome, out byte outcome)
            || outcome is < (byte)SessionOutcome.PathUp or > (byte)SessionOutcome.ChecksSummary
            || !message.TryGetOptionalReason(out string? reason))
        {
            return false;
        }

        PathKind? pathKind = null;
        if (message.TryGetAttribute(PunchAttributeType.PathKind, out _))
        {
            if (!message.TryGetByte(PunchAttributeType.PathKind, out byte kind) || kind is < (byte)Protocol.PathKind.Direct or > (byte)Protocol.PathKind.Relayed)
            {
                return false;
            }

            pathKind = (PathKind)kind;
        }

        IPEndPoint? remote = null;
        if (message.TryGetAttribute(PunchAttributeType.RemoteAddress, out _) && !message.TryGetXorAddress(PunchAttributeType.RemoteAddress, out remote))
        {
            return false;
        }

        TimeSpan? elapsed = message.TryGetUInt32(PunchAttributeType.ElapsedMilliseconds, out uint ms) ? TimeSpan.FromMilliseconds(ms) : null;
        TimeSpan? rtt = message.TryGetUInt32(PunchAttributeType.RttMicroseconds, out uint us) ? TimeSpan.FromMicroseconds(us) : null;
        int sent = 0;
        int received = 0;
        if (message.TryGetAttribute(PunchAttributeType.CheckCounts, out var counts) && counts.Length == 8)
        {
            sent = (int)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(counts), int.MaxValue);
            received = (int)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(counts[4..]), int.MaxValue);
        }

        long bytesDirect = 0;
        long bytesRelayed = 0;
        if (message.TryGetAttribute(PunchAttributeType.PathBytes, out var pathBytes) && pathBytes.Length == 16)
        {
            bytesDirect = Math.Max(0, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(pathBytes));
            bytesRelayed = Math.Max(0, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(pathBytes[8..]));
        }

        report = new ReportRequest(message.TransactionId, peer, id, (SessionOutcome)outcome, pathKind, remote, elapsed, rtt, sent, received, reason, bytesDirect, bytesRelayed);
        return true;
    }
}
