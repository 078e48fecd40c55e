using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

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
