using System.Collections.Immutable;
using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Short-term credentials of one side of a session (RFC 8445 §5.3: ufrag and password).</summary>
public readonly record struct IceCredentials(string UsernameFragment, string Password);

/// <summary>
/// Server → peer: meet PEER-NAME. A request, so the server can retransmit it until the peer
/// acknowledges with <see cref="IntroductionAck"/>. Carries the other side's candidates and both
/// sides' credentials: the receiver signs its checks with the remote password and checks arriving
/// checks with its local one, as ICE does.
/// </summary>
public readonly record struct Introduction(
    TransactionId TransactionId,
    SessionId SessionId,
    string PeerName,
    bool Controlling,
    IceCredentials Local,
    IceCredentials Remote,
    ImmutableArray<Candidate> Candidates,
    NatMapping RemoteMapping = NatMapping.Unknown,
    ushort? RelayChannel = null,
    Discovery.NatBehaviour RemoteFiltering = Discovery.NatBehaviour.Unknown)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Introduction, StunClass.Request), TransactionId);
        writer.AddSessionId(SessionId);
        writer.AddString(PunchAttributeType.PeerName, PeerName);
        writer.AddByte(PunchAttributeType.Role, Controlling ? (byte)1 : (byte)0);
        writer.AddString(PunchAttributeType.LocalUsernameFragment, Local.UsernameFragment);
        writer.AddString(PunchAttributeType.LocalPassword, Local.Password);
        writer.AddString(PunchAttributeType.RemoteUsernameFragment, Remote.UsernameFragment);
        writer.AddString(PunchAttributeType.RemotePassword, Remote.Password);
        writer.AddCandidates(Candidates, TransactionId);
        writer.AddMapping(RemoteMapping);
        writer.AddFiltering(RemoteFiltering);
        if (RelayChannel is { } channel)
        {
            writer.AddUInt32(PunchAttributeType.RelayChannel, channel);
        }

        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out Introduction introduction)
    {
        introduction = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Introduction, StunClass.Request)
            || !message.TryGetSessionId(out var id)
            || !message.TryGetName(PunchAttributeType.PeerName, out string peerName)
            || !message.TryGetByte(PunchAttributeType.Role, out byte role) || role > 1
            || !TryGetCredential(message, PunchAttributeType.LocalUsernameFragment, out string localUfrag)
            || !TryGetCredential(message, PunchAttributeType.LocalPassword, out string localPassword)
            || !TryGetCredential(message, PunchAttributeType.RemoteUsernameFragment, out string remoteUfrag)
            || !TryGetCredential(message, PunchAttributeType.RemotePassword, out string remotePassword)
            || !message.TryGetCandidates(out var candidates))
        {
            return false;
        }

        introduction = new Introduction(message.TransactionId, id, peerName, role == 1,
            new IceCredentials(localUfrag, localPassword), new IceCredentials(remoteUfrag, remotePassword), candidates, message.GetMapping(), message.GetRelayChannel(), message.GetFiltering());
        return true;
    }

    private static bool TryGetCredential(StunMessage message, ushort type, out string value) =>
        message.TryGetString(type, WireExtensions.MaxCredentialBytes, out value) && value.Length > 0 && !value.Contains(':', StringComparison.Ordinal);
}

/// <summary>Peer → server: the success response to an <see cref="Introduction"/>.</summary>
public readonly record struct IntroductionAck(TransactionId TransactionId, SessionId SessionId)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Introduction, StunClass.SuccessResponse), TransactionId);
        writer.AddSessionId(SessionId);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out IntroductionAck ack)
    {
        ack = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Introduction, StunClass.SuccessResponse)
            || !message.TryGetSessionId(out var id))
        {
            return false;
        }

        ack = new IntroductionAck(message.TransactionId, id);
        return true;
    }
}

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
