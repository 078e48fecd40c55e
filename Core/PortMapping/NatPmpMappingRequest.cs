using System.Buffers.Binary;

namespace Punch.Core.PortMapping;

/// <summary>
/// Client → gateway (RFC 6886 §3.3): map <paramref name="InternalPort"/> of the client for
/// <paramref name="LifetimeSeconds"/> (0 with a suggested port of 0 deletes the mapping, §3.4), asking for
/// <paramref name="SuggestedExternalPort"/> (0: any). The gateway may grant another port and another lifetime.
/// </summary>
public readonly record struct NatPmpMappingRequest(MappedTransport Transport, ushort InternalPort, ushort SuggestedExternalPort, uint LifetimeSeconds)
{
    public const int Length = 12;

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = NatPmp.Version;
        destination[1] = NatPmp.OpcodeOf(Transport);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0); // reserved
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], InternalPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], SuggestedExternalPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], LifetimeSeconds);
        return Length;
    }

    /// <summary>What a gateway reads (the lab's and the tests' stand-ins): version 0, a map opcode, 12 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out NatPmpMappingRequest request)
    {
        request = default;
        if (datagram.Length != Length || datagram[0] != NatPmp.Version || !NatPmp.TryTransportOf(datagram[1], out var transport))
        {
            return false;
        }

        request = new NatPmpMappingRequest(transport, BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]), BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]));
        return true;
    }
}
