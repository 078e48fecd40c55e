using System.Buffers.Binary;
using System.Net;

namespace Punch.Core.PortMapping;

/// <summary>
/// Gateway → client (RFC 6886 §3.2): the result, the seconds since the gateway's mapping table started
/// (a smaller value than expected means it rebooted and lost every mapping, §3.6), and its external IPv4 address.
/// </summary>
public readonly record struct NatPmpExternalAddressResponse(NatPmpResultCode Result, uint EpochSeconds, IPAddress ExternalAddress)
{
    public const int Length = 12;

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = NatPmp.Version;
        destination[1] = NatPmp.ResponseBit | NatPmp.ExternalAddressOpcode;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Result);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], EpochSeconds);
        ExternalAddress.MapToIPv4().TryWriteBytes(destination[8..12], out _);
        return Length;
    }

    /// <summary>RFC 6886 §3.2: a response of the wrong length, version or opcode is ignored.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out NatPmpExternalAddressResponse response)
    {
        response = default;
        if (datagram.Length != Length || datagram[0] != NatPmp.Version || datagram[1] != (NatPmp.ResponseBit | NatPmp.ExternalAddressOpcode))
        {
            return false;
        }

        response = new NatPmpExternalAddressResponse(
            (NatPmpResultCode)BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]),
            new IPAddress(datagram[8..12]));
        return true;
    }
}
