using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

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
