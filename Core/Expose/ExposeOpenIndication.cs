using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

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
