using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Punch.Core.PortMapping;

/// <summary>RFC 6887 §11.1: 96 random bits chosen by the client; a response counts only when it carries the request's nonce.</summary>
public readonly record struct PcpNonce(ulong High, uint Low)
{
    public const int Length = 12;

    public static PcpNonce NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public static PcpNonce Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Low);
    }
}
