using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// Server → peer: the success response to Register or Refresh: the public endpoint the server sees and how long the
/// registration lives; with a Register, the server's probe port and expose control port when it has them.
/// </summary>
public readonly record struct RegistrationResponse(ushort Method, TransactionId TransactionId, IPEndPoint PublicEndPoint, TimeSpan Lifetime, ushort? ProbePort = null, ushort? ExposeControlPort = null)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(Method, StunClass.SuccessResponse), TransactionId);
        writer.AddXorAddress(StunAttributeType.XorMappedAddress, PublicEndPoint);
        writer.AddUInt32(StunAttributeType.Lifetime, (uint)Lifetime.TotalSeconds);
        if (ProbePort is { } probePort)
        {
            writer.AddUInt32(PunchAttributeType.ProbePort, probePort);
        }

        if (ExposeControlPort is { } controlPort)
        {
            writer.AddUInt32(PunchAttributeType.ExposeControlPort, controlPort);
        }

        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out RegistrationResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type.Class != StunClass.SuccessResponse
            || message.Type.Method is not (PunchMethod.Register or PunchMethod.Refresh)
            || !message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var endPoint)
            || !message.TryGetUInt32(StunAttributeType.Lifetime, out uint seconds))
        {
            return false;
        }

        response = new RegistrationResponse(message.Type.Method, message.TransactionId, endPoint, TimeSpan.FromSeconds(seconds),
            ReadPort(message, PunchAttributeType.ProbePort), ReadPort(message, PunchAttributeType.ExposeControlPort));
        return true;
    }

    /// <summary>A port attribute; absent, 0 or past 65535 reads as absent (an optional hint, not worth refusing the registration for).</summary>
    private static ushort? ReadPort(StunMessage message, ushort attribute) =>
        message.TryGetUInt32(attribute, out uint port) && port is > 0 and <= ushort.MaxValue ? (ushort)port : null;
}
