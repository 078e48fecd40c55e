using System.Buffers.Binary;
using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

/// <summary>Peer → server: publish my service (LOCAL-SERVICE, for display) as NAME in NETWORK on PUBLIC-PORT.</summary>
public readonly record struct ExposeRegisterRequest(TransactionId TransactionId, PeerIdentity Peer, ushort PublicPort, string LocalService)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(ExposeMethod.Register, StunClass.Request), TransactionId);
        writer.AddIdentity(Peer);
        writer.AddUInt32(ExposeAttributeType.PublicPort, PublicPort);
        writer.AddString(ExposeAttributeType.LocalService, Utf8Text.Truncate(LocalService, WireExtensions.MaxReasonBytes));
        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out ExposeRegisterRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(message, out var parsed) || !parsed.Is(ExposeMethod.Register, StunClass.Request)
            || !parsed.TryGetIdentity(out var peer) || !parsed.TryGetPort(out ushort port)
            || !parsed.TryGetString(ExposeAttributeType.LocalService, WireExtensions.MaxReasonBytes, out string local))
        {
            return false;
        }

        request = new ExposeRegisterRequest(parsed.TransactionId, peer, port, local);
        return true;
    }
}

/// <summary>Server → peer: the service is published on PUBLIC-PORT; send a keepalive every KEEPALIVE-SECONDS.</summary>
public readonly record struct ExposeRegisterResponse(TransactionId TransactionId, ushort PublicPort, TimeSpan KeepaliveInterval)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(ExposeMethod.Register, StunClass.SuccessResponse), TransactionId);
        writer.AddUInt32(ExposeAttributeType.PublicPort, PublicPort);
        writer.AddUInt32(ExposeAttributeType.KeepaliveSeconds, (uint)Math.Max(1, KeepaliveInterval.TotalSeconds));
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out ExposeRegisterResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(message, out var parsed) || !parsed.Is(ExposeMethod.Register, StunClass.SuccessResponse)
            || !parsed.TryGetPort(out ushort port)
            || !parsed.TryGetUInt32(ExposeAttributeType.KeepaliveSeconds, out uint seconds) || seconds is 0 or > 3600)
        {
            return false;
        }

        response = new ExposeRegisterResponse(parsed.TransactionId, port, TimeSpan.FromSeconds(seconds));
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

    public static void AddToken(ref this StunWriter writer, UInt128 token)
    {
        Span<byte> bytes = stackalloc byte[TokenLength];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, token);
        writer.Add(ExposeAttributeType.AttachToken, bytes);
    }

    public static bool TryGetToken(this StunMessage message, out UInt128 token)
    {
        token = default;
        if (!message.TryGetAttribute(ExposeAttributeType.AttachToken, out var raw) || raw.Length != TokenLength)
        {
            return false;
        }

        token = BinaryPrimitives.ReadUInt128BigEndian(raw);
        return true;
    }
}
