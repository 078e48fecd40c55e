using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Server → peer: the success response to Register or Refresh: the public endpoint the server sees and how long the registration lives.</summary>
public readonly record struct RegistrationResponse(ushort Method, TransactionId TransactionId, IPEndPoint PublicEndPoint, TimeSpan Lifetime, ushort? ProbePort = null)
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

        ushort? probePort = message.TryGetUInt32(PunchAttributeType.ProbePort, out uint port) && port is > 0 and <= ushort.MaxValue ? (ushort)port : null;
        response = new RegistrationResponse(message.Type.Method, message.TransactionId, endPoint, TimeSpan.FromSeconds(seconds), probePort);
        return true;
    }
}
