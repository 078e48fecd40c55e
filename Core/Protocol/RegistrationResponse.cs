using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// Server → peer: the success response to Register or Refresh: the public endpoint the server sees and how long the
/// registration lives; with a Register, the server's probe port and expose control port when it has them.
/// <paramref name="OtherFamilyEndPoint"/>: where a dual-stack server answers Binding requests in the family the request did not
/// come in (its configured public address of that family), so a peer that registered over IPv4 can learn its public IPv6
/// endpoint (behind NAT66/NPTv6 or a firewall with another outside address) and the other way round. Only of the other family:
/// one of the same family is dropped on reading.
/// </summary>
public readonly record struct RegistrationResponse(ushort Method, TransactionId TransactionId, IPEndPoint PublicEndPoint, TimeSpan Lifetime, ushort? ProbePort = null,
    ushort? ExposeControlPort = null, IPEndPoint? OtherFamilyEndPoint = null)
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

        if (OtherFamilyEndPoint is { } other)
        {
            writer.AddXorAddress(PunchAttributeType.OtherFamilyServer, other);
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

        IPEndPoint? otherFamily = message.TryGetXorAddress(PunchAttributeType.OtherFamilyServer, out var other) && IsUsableOtherFamily(other, endPoint) ? other : null;
        response = new RegistrationResponse(message.Type.Method, message.TransactionId, endPoint, TimeSpan.FromSeconds(seconds),
            ReadPort(message, PunchAttributeType.ProbePort), ReadPort(message, PunchAttributeType.ExposeControlPort), otherFamily);
        return true;
    }

    /// <summary>A port attribute; absent, 0 or past 65535 reads as absent (an optional hint, not worth refusing the registration for).</summary>
    private static ushort? ReadPort(StunMessage message, ushort attribute) =>
        message.TryGetUInt32(attribute, out uint port) && port is > 0 and <= ushort.MaxValue ? (ushort)port : null;

    /// <summary>A usable endpoint of the family <paramref name="publicEndPoint"/> is not: no port 0, no wildcard, no IPv4-mapped IPv6 (that is IPv4 again).</summary>
    internal static bool IsUsableOtherFamily(IPEndPoint other, IPEndPoint publicEndPoint) =>
        other.Port != 0 && other.AddressFamily != publicEndPoint.AddressFamily && !other.Address.IsIPv4MappedToIPv6
        && !other.Address.Equals(IPAddress.Any) && !other.Address.Equals(IPAddress.IPv6Any);
}
