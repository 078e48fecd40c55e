using System.Buffers.Binary;
using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

/// <summary>
/// Peer → server: publish my service (LOCAL-SERVICE, for display) as NAME in NETWORK on PUBLIC-PORT.
/// SERVICE-SECRET, when the peer has one from an earlier answer, proves it is the holder of a live
/// registration of that port, so it may take it over (a reconnect the server has not noticed yet).
/// </summary>
public readonly record struct ExposeRegisterRequest(TransactionId TransactionId, PeerIdentity Peer, ushort PublicPort, string LocalService, UInt128? ServiceSecret = null)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(ExposeMethod.Register, StunClass.Request), TransactionId);
        writer.AddIdentity(Peer);
        writer.AddUInt32(ExposeAttributeType.PublicPort, PublicPort);
        writer.AddString(ExposeAttributeType.LocalService, Utf8Text.Truncate(LocalService, WireExtensions.MaxReasonBytes));
        if (ServiceSecret is { } secret)
        {
            writer.AddSecret(ExposeAttributeType.ServiceSecret, secret);
        }

        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out ExposeRegisterRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(message, out var parsed) || !parsed.Is(ExposeMethod.Register, StunClass.Request)
            || !parsed.TryGetIdentity(out var peer) || !parsed.TryGetPort(out ushort port)
            || !parsed.TryGetString(ExposeAttributeType.LocalService, WireExtensions.MaxReasonBytes, out string local)
            || !parsed.TryGetOptionalSecret(ExposeAttributeType.ServiceSecret, out var secret))
        {
            return false;
        }

        request = new ExposeRegisterRequest(parsed.TransactionId, peer, port, local, secret);
        return true;
    }
}

/// <summary>
/// Server → peer: the service is published on PUBLIC-PORT; send a keepalive every KEEPALIVE-SECONDS;
/// SERVICE-SECRET is what a later registration of the same service presents to take it over.
/// </summary>
public readonly record struct ExposeRegisterResponse(TransactionId TransactionId, ushort PublicPort, TimeSpan KeepaliveInterval, UInt128 ServiceSecret)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(ExposeMethod.Register, StunClass.SuccessResponse), TransactionId);
        writer.AddUInt32(ExposeAttributeType.PublicPort, PublicPort);
        writer.AddUInt32(ExposeAttributeType.KeepaliveSeconds, (uint)Math.Max(1, KeepaliveInterval.TotalSeconds));
        writer.AddSecret(ExposeAttributeType.ServiceSecret, ServiceSecret);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out ExposeRegisterResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(message, out var parsed) || !parsed.Is(ExposeMethod.Register, StunClass.SuccessResponse)
            || !parsed.TryGetPort(out ushort port)
            || !parsed.TryGetUInt32(ExposeAttributeType.KeepaliveSeconds, out uint seconds) || seconds is 0 or > 3600
            || !parsed.TryGetSecret(ExposeAttributeType.ServiceSecret, out var secret))
        {
            return false;
        }

        response = new ExposeRegisterResponse(parsed.TransactionId, port, TimeSpan.FromSeconds(seconds), secret);
        return true;
    }
}

/// <summary>Server → peer: visitor CONNECTION-ID (from VISITOR-ADDRESS) waits; attach a data connection with ATTACH-TOKEN.</summary>
public readonly record struct ExposeOpenIndication(TransactionId TransactionId, ulong ConnectionId, UInt128 Token, IPEndPoint Visitor)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(ExposeMethod.Open, StunClass.Indication), TransactionId);
        writer.AddUInt64(ExposeAttributeType.ConnectionId, ConnectionId);
        writer.AddToken(Token);
        writer.AddXorAddress(ExposeAttributeType.VisitorAddress, Visitor);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out ExposeOpenIndication open)
    {
        open = default;
        if (!StunMessage.TryParse(message, out var parsed) || !parsed.Is(ExposeMethod.Open, StunClass.Indication)
            || !parsed.TryGetConnectionId(out ulong id) || !parsed.TryGetToken(out var token)
            || !parsed.TryGetXorAddress(ExposeAttributeType.VisitorAddress, out var visitor))
        {
            return false;
        }

        open = new ExposeOpenIndication(parsed.TransactionId, id, token, visitor);
        return true;
    }
}

/// <summary>Peer → server, on a new data connection: it carries visitor CONNECTION-ID, proven by ATTACH-TOKEN.</summary>
public readonly record struct ExposeAttachIndication(TransactionId TransactionId, ulong ConnectionId, UInt128 Token)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(ExposeMethod.Attach, StunClass.Indication), TransactionId);
        writer.AddUInt64(ExposeAttributeType.ConnectionId, ConnectionId);
        writer.AddToken(Token);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out ExposeAttachIndication attach)
    {
        attach = default;
        if (!StunMessage.TryParse(message, out var parsed) || !parsed.Is(ExposeMethod.Attach, StunClass.Indication)
            || !parsed.TryGetConnectionId(out ulong id) || !parsed.TryGetToken(out var token))
        {
            return false;
        }

        attach = new ExposeAttachIndication(parsed.TransactionId, id, token);
        return true;
    }
}

/// <summary>Peer → server: the local service could not take visitor CONNECTION-ID; REASON says why.</summary>
public readonly record struct ExposeOpenFailedIndication(TransactionId TransactionId, ulong ConnectionId, string Reason)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(ExposeMethod.OpenFailed, StunClass.Indication), TransactionId);
        writer.AddUInt64(ExposeAttributeType.ConnectionId, ConnectionId);
        writer.AddOptionalReason(Reason);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out ExposeOpenFailedIndication failed)
    {
        failed = default;
        if (!StunMessage.TryParse(message, out var parsed) || !parsed.Is(ExposeMethod.OpenFailed, StunClass.Indication)
            || !parsed.TryGetConnectionId(out ulong id) || !parsed.TryGetOptionalReason(out string? reason))
        {
            return false;
        }

        failed = new ExposeOpenFailedIndication(parsed.TransactionId, id, reason ?? string.Empty);
        return true;
    }
}

/// <summary>Either way: the control connection is alive.</summary>
public readonly record struct ExposeKeepaliveIndication(TransactionId TransactionId)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(ExposeMethod.Keepalive, StunClass.Indication), TransactionId);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out ExposeKeepaliveIndication keepalive)
    {
        keepalive = default;
        if (!StunMessage.TryParse(message, out var parsed) || !parsed.Is(ExposeMethod.Keepalive, StunClass.Indication))
        {
            return false;
        }

        keepalive = new ExposeKeepaliveIndication(parsed.TransactionId);
        return true;
    }
}

/// <summary>The attributes only the expose messages use.</summary>
internal static class ExposeWire
{
    public const int TokenLength = 16;

    public static bool TryGetPort(this StunMessage message, out ushort port)
    {
        port = 0;
        if (!message.TryGetUInt32(ExposeAttributeType.PublicPort, out uint value) || value is 0 or > ushort.MaxValue)
        {
            return false;
        }

        port = (ushort)value;
        return true;
    }

    public static bool TryGetConnectionId(this StunMessage message, out ulong id)
    {
        id = 0;
        if (!message.TryGetAttribute(ExposeAttributeType.ConnectionId, out var raw) || raw.Length != sizeof(ulong))
        {
            return false;
        }

        id = BinaryPrimitives.ReadUInt64BigEndian(raw);
        return true;
    }

    public static void AddToken(ref this StunWriter writer, UInt128 token) => writer.AddSecret(ExposeAttributeType.AttachToken, token);

    public static bool TryGetToken(this StunMessage message, out UInt128 token) => message.TryGetSecret(ExposeAttributeType.AttachToken, out token);

    /// <summary>A 128-bit secret (ATTACH-TOKEN, SERVICE-SECRET): 16 bytes, big-endian.</summary>
    public static void AddSecret(ref this StunWriter writer, ushort type, UInt128 secret)
    {
        Span<byte> bytes = stackalloc byte[TokenLength];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, secret);
        writer.Add(type, bytes);
    }

    public static bool TryGetSecret(this StunMessage message, ushort type, out UInt128 secret)
    {
        secret = default;
        if (!message.TryGetAttribute(type, out var raw) || raw.Length != TokenLength)
        {
            return false;
        }

        secret = BinaryPrimitives.ReadUInt128BigEndian(raw);
        return true;
    }

    /// <summary>Absent is fine (null); present must be exactly 16 bytes, or the message is refused.</summary>
    public static bool TryGetOptionalSecret(this StunMessage message, ushort type, out UInt128? secret)
    {
        secret = null;
        if (!message.TryGetAttribute(type, out _))
        {
            return true;
        }

        if (!message.TryGetSecret(type, out var value))
        {
            return false;
        }

        secret = value;
        return true;
    }
}
