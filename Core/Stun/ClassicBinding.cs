using System.Buffers.Binary;
using System.Net;

namespace Punch.Core.Stun;

/// <summary>
/// A Binding request from an RFC 3489 client (such as Debian's <c>stun</c>): no magic cookie, a
/// 128-bit transaction id. RFC 8489 §12.2 (backwards compatibility) has servers answer it with the
/// id copied as is and MAPPED-ADDRESS instead of XOR-MAPPED-ADDRESS; such clients reject unknown
/// comprehension-required attributes, so the answer carries only RFC 3489 ones.
/// </summary>
public readonly record struct ClassicBindingRequest(UInt128 TransactionId, ChangeRequest Change)
{
    private const ushort BindingRequestType = 0x0001;
    private const ushort BindingResponseType = 0x0101;

    /// <summary>Header right (type, length, no magic cookie); attributes walked within bounds; CHANGE-REQUEST read.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out ClassicBindingRequest request)
    {
        request = default;
        if (datagram.Length < StunConstants.HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(datagram) != BindingRequestType
            || BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == StunConstants.MagicCookie
            || BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) != datagram.Length - StunConstants.HeaderLength)
        {
            return false;
        }

        var change = default(ChangeRequest);
        int offset = StunConstants.HeaderLength;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < 4)
            {
                return false;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            if (length > datagram.Length - offset - 4)
            {
                return false;
            }

            if (type == NatBehaviourAttributeType.ChangeRequest && !ChangeRequest.TryRead(datagram.Slice(offset + 4, length), out change))
            {
                return false;
            }

            // RFC 3489 attributes are 4-byte multiples already; padding as RFC 8489 does keeps both readable.
            offset += 4 + ((length + 3) & ~3);
        }

        request = new ClassicBindingRequest(BinaryPrimitives.ReadUInt128BigEndian(datagram[4..]), change);
        return true;
    }

    /// <summary>MAPPED-ADDRESS, SOURCE-ADDRESS and, when the server has one, CHANGED-ADDRESS (RFC 3489 §11.1): at most 56 bytes.</summary>
    public int WriteResponse(Span<byte> destination, IPEndPoint mapped, IPEndPoint source, IPEndPoint? changed)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, BindingResponseType);
        BinaryPrimitives.WriteUInt128BigEndian(destination[4..], TransactionId);
        int length = StunConstants.HeaderLength;
        length += WriteAddress(destination[length..], StunAttributeType.MappedAddress, mapped);
        length += WriteAddress(destination[length..], NatBehaviourAttributeType.SourceAddress, source);
        if (changed is not null)
        {
            length += WriteAddress(destination[length..], NatBehaviourAttributeType.ChangedAddress, changed);
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(length - StunConstants.HeaderLength));
        return length;
    }

    private static int WriteAddress(Span<byte> destination, ushort type, IPEndPoint endPoint)
    {
        int valueLength = StunAddress.WritePlain(destination[4..], endPoint);
        BinaryPrimitives.WriteUInt16BigEndian(destination, type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)valueLength);
        return 4 + valueLength;
    }
}
