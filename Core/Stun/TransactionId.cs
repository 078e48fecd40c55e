using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Punch.Core.Stun;

/// <summary>The 96-bit transaction id of RFC 8489 §5, kept as two integers so it is cheap to compare and hash.</summary>
public readonly record struct TransactionId(ulong High, uint Low)
{
    public static TransactionId Read(ReadOnlySpan<byte> twelveBytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(twelveBytes), BinaryPrimitives.ReadUInt32BigEndian(twelveBytes[8..]));

    public void WriteTo(Span<byte> twelveBytes)
    {
        BinaryPrimitives.WriteUInt64BigEndian(twelveBytes, High);
        BinaryPrimitives.WriteUInt32BigEndian(twelveBytes[8..], Low);
    }

    /// <summary>RFC 8489 §6.3.1: transaction ids must be uniformly random so off-path attackers cannot guess them.</summary>
    public static TransactionId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[StunConstants.TransactionIdLength];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public override string ToString() => $"{High:x16}{Low:x8}";
}
