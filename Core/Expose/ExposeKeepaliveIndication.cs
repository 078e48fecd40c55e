using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

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
