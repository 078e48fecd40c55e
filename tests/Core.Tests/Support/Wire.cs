using System.Buffers.Binary;
using Punch.Core.Stun;

namespace Punch.Core.Tests.Support;

/// <summary>A message's <c>WriteTo</c>, as a delegate a test can pass around.</summary>
internal delegate int SpanWriter(Span<byte> destination);

/// <summary>Builds datagrams for tests and edits them the way a hostile or broken sender would.</summary>
internal static class Wire
{
    public static readonly TransactionId FixedTransactionId = TransactionId.Read(Hex.Parse("0102030405060708090a0b0c"));

    /// <summary>Runs a writer over a generously sized buffer and returns exactly the bytes it wrote.</summary>
    public static byte[] Write(SpanWriter write)
    {
        var buffer = new byte[StunConstants.MaxMessageLength * 2];
        int length = write(buffer);
        return buffer[..length];
    }

    public static int HeaderLengthField(ReadOnlySpan<byte> datagram) => BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);

    public static byte[] WithHeaderLengthField(byte[] datagram, int length)
    {
        var copy = (byte[])datagram.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)length);
        return copy;
    }

    /// <summary>Appends one attribute after whatever the datagram holds (even FINGERPRINT) and fixes the header length.</summary>
    public static byte[] AppendAttribute(byte[] datagram, ushort type, ReadOnlySpan<byte> value)
    {
        int padded = (value.Length + 3) & ~3;
        var result = new byte[datagram.Length + 4 + padded];
        datagram.CopyTo(result, 0);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(datagram.Length), type);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(datagram.Length + 2), (ushort)value.Length);
        value.CopyTo(result.AsSpan(datagram.Length + 4));
        return WithHeaderLengthField(result, result.Length - StunConstants.HeaderLength);
    }

    /// <summary>Offsets of every attribute header, walking the TLVs as the datagram declares them.</summary>
    public static List<int> AttributeOffsets(ReadOnlySpan<byte> datagram)
    {
        var offsets = new List<int>();
        int offset = StunConstants.HeaderLength;
        while (offset + 4 <= datagram.Length)
        {
            offsets.Add(offset);
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            offset += 4 + ((length + 3) & ~3);
        }

        return offsets;
    }

    public static int FindAttribute(ReadOnlySpan<byte> datagram, ushort type)
    {
        foreach (int offset in AttributeOffsets(datagram))
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]) == type)
            {
                return offset;
            }
        }

        return -1;
    }

    /// <summary>A STUN message built attribute by attribute, for shapes the message types never write.</summary>
    public static byte[] Build(StunMessageType type, Action<Builder> addAttributes)
    {
        var builder = new Builder();
        addAttributes(builder);
        return Write(destination =>
        {
            var writer = new StunWriter(destination, type, FixedTransactionId);
            foreach (var (attributeType, value) in builder.Attributes)
            {
                writer.Add(attributeType, value);
            }

            return writer.Length;
        });
    }

    internal sealed class Builder
    {
        public List<(ushort Type, byte[] Value)> Attributes { get; } = [];

        public Builder Add(ushort type, params byte[] value)
        {
            Attributes.Add((type, value));
            return this;
        }

        public Builder AddString(ushort type, string value) => Add(type, System.Text.Encoding.UTF8.GetBytes(value));
    }
}
