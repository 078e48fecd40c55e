using System.Buffers.Binary;

namespace Punch.Core.PortMapping;

/// <summary>
/// Gateway → client (RFC 6886 §3.3): the result, the gateway's epoch, the internal port the request
/// named, and the external port and lifetime actually granted (either may differ from what was asked).
/// </summary>
public readonly record struct NatPmpMappingResponse(MappedTransport Transport, NatPmpResultCode Result, uint EpochSeconds, ushort InternalPort, ushort ExternalPort, uint LifetimeSeconds)
{
    public const int Length = 16;

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = NatPmp.Version;
        destination[1] = (byte)(NatPmp.ResponseBit | NatPmp.OpcodeOf(Transport));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Result);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], EpochSeconds);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], InternalPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], ExternalPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], LifetimeSeconds);
        return Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out NatPmpMappingResponse response)
    {
        response = default;
        if (datagram.Length != Length || datagram[0] != NatPmp.Version || (datagram[1] & NatPmp.ResponseBit) == 0
            || !NatPmp.TryTransportOf((byte)(datagram[1] & ~NatPmp.ResponseBit), out var transport))
        {
            return false;
        }

        response = new NatPmpMappingResponse(transport,
            (NatPmpResultCode)BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]));
        return true;
    }
}
