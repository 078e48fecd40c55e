using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

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
