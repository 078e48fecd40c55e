using System.Buffers.Binary;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Tests.Support;

/// <summary>
/// Seeded generators of datagrams a hostile or broken sender could produce: plain random bytes,
/// random bytes shaped like STUN (cookie and length right, attributes random) so parsing gets past
/// the header, and mutations of valid messages.
/// </summary>
internal static class HostileInputs
{
    public const int MaxLength = 600;

    private static readonly ushort[] InterestingAttributeTypes =
    [
        StunAttributeType.MappedAddress, StunAttributeType.Username, StunAttributeType.MessageIntegrity, StunAttributeType.ErrorCode,
        StunAttributeType.Lifetime, StunAttributeType.XorMappedAddress, StunAttributeType.Priority, StunAttributeType.UseCandidate,
        StunAttributeType.Software, StunAttributeType.Fingerprint, StunAttributeType.IceControlled, StunAttributeType.IceControlling,
        PunchAttributeType.PeerName, PunchAttributeType.Network, PunchAttributeType.TargetPeer, PunchAttributeType.Candidate,
        PunchAttributeType.SessionId, PunchAttributeType.LocalUsernameFragment, PunchAttributeType.LocalPassword,
        PunchAttributeType.RemoteUsernameFragment, PunchAttributeType.RemotePassword, PunchAttributeType.Role, PunchAttributeType.Outcome,
        PunchAttributeType.RemoteAddress, PunchAttributeType.ElapsedMilliseconds, PunchAttributeType.RttMicroseconds,
        PunchAttributeType.CheckCounts, PunchAttributeType.Reason, PunchAttributeType.ConnectStatus, PunchAttributeType.PathKind,
        StunAttributeType.MessageIntegritySha256, PunchAttributeType.Timestamp,
        ExposeAttributeType.PublicPort, ExposeAttributeType.LocalService, ExposeAttributeType.ConnectionId,
        ExposeAttributeType.AttachToken, ExposeAttributeType.VisitorAddress, ExposeAttributeType.KeepaliveSeconds,
        ExposeAttributeType.ServiceSecret,
    ];

    private static readonly ushort[] InterestingMethods =
    [
        StunMessageType.BindingMethod, PunchMethod.Register, PunchMethod.Refresh, PunchMethod.Connect, PunchMethod.Introduction, PunchMethod.Report, PunchMethod.Goodbye,
        ExposeMethod.Register, ExposeMethod.Open, ExposeMethod.Attach, ExposeMethod.OpenFailed, ExposeMethod.Keepalive,
    ];

    public static IEnumerable<byte[]> RandomBytes(int seed, int count)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var datagram = new byte[random.Next(MaxLength + 1)];
            random.NextBytes(datagram);
            yield return datagram;
        }
    }

    public static IEnumerable<byte[]> RandomStunShaped(int seed, int count)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var type = new StunMessageType(Pick(random, InterestingMethods), (StunClass)random.Next(4));
            var attributes = new List<byte>();
            int attributeCount = random.Next(12);
            for (int a = 0; a < attributeCount && attributes.Count < MaxLength; a++)
            {
                ushort attributeType = random.Next(8) == 0 ? (ushort)random.Next(0x10000) : Pick(random, InterestingAttributeTypes);
                int length = random.Next(5) switch
                {
                    0 => random.Next(0x10000),           // usually past the end
                    1 => Pick(random, [0, 1, 4, 8, 12, 20, 24]),
                    _ => random.Next(40),
                };
                int written = Math.Min((length + 3) & ~3, random.Next(4) == 0 ? random.Next(64) : 64);
                var header = new byte[4];
                BinaryPrimitives.WriteUInt16BigEndian(header, attributeType);
                BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)length);
                attributes.AddRange(header);
                var value = new byte[written];
                random.NextBytes(value);
                if (random.Next(3) == 0 && value.Length >= 2)
                {
                    value[1] = (byte)random.Next(4); // plausible address family
                }

                attributes.AddRange(value);
            }

            var datagram = new byte[StunConstants.HeaderLength + attributes.Count];
            BinaryPrimitives.WriteUInt16BigEndian(datagram, type.Encode());
            int declared = random.Next(6) == 0 ? random.Next(0x10000) : attributes.Count;
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)declared);
            BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), StunConstants.MagicCookie);
            random.NextBytes(datagram.AsSpan(8, StunConstants.TransactionIdLength));
            attributes.CopyTo(datagram, StunConstants.HeaderLength);
            yield return datagram;
        }
    }

    /// <summary>Valid messages with one to three edits each: bit flips, random bytes, truncation, extension, rewritten length fields, repeated attributes.</summary>
    public static IEnumerable<byte[]> Mutations(int seed, int count, IReadOnlyList<byte[]> validMessages)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var datagram = (byte[])validMessages[random.Next(validMessages.Count)].Clone();
            int edits = 1 + random.Next(3);
            for (int e = 0; e < edits; e++)
            {
                datagram = Mutate(random, datagram);
            }

            yield return datagram;
        }
    }

    private static byte[] Mutate(Random random, byte[] datagram)
    {
        switch (random.Next(8))
        {
            case 0 when datagram.Length > 0:
                datagram[random.Next(datagram.Length)] ^= (byte)(1 << random.Next(8));
                return datagram;
            case 1 when datagram.Length > 0:
                datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
                return datagram;
            case 2:
                return datagram[..random.Next(datagram.Length + 1)];
            case 3:
                {
                    var extended = new byte[datagram.Length + random.Next(1, 33)];
                    datagram.CopyTo(extended, 0);
                    random.NextBytes(extended.AsSpan(datagram.Length));
                    return extended;
                }

            case 4 when datagram.Length >= 4:
                BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)(random.Next(2) == 0 ? random.Next(0x10000) : Math.Max(0, datagram.Length - StunConstants.HeaderLength)));
                return datagram;
            case 5:
                {
                    var offsets = Wire.AttributeOffsets(datagram);
                    if (offsets.Count > 0)
                    {
                        int offset = offsets[random.Next(offsets.Count)];
                        ushort length = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(offset + 2));
                        int newLength = random.Next(2) == 0 ? random.Next(0x10000) : Math.Max(0, length + random.Next(-4, 5));
                        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(offset + 2), (ushort)newLength);
                    }

                    return datagram;
                }

            case 6:
                {
                    // Repeat an attribute (e.g. a second MESSAGE-INTEGRITY or a 17th candidate) and fix the header length.
                    var offsets = Wire.AttributeOffsets(datagram);
                    if (offsets.Count == 0 || datagram.Length < StunConstants.HeaderLength)
                    {
                        return datagram;
                    }

                    int index = random.Next(offsets.Count);
                    int start = offsets[index];
                    int end = index + 1 < offsets.Count ? offsets[index + 1] : datagram.Length;
                    var repeated = new byte[datagram.Length + (end - start) * random.Next(1, 20)];
                    datagram.AsSpan(0, end).CopyTo(repeated);
                    int at = end;
                    while (at + (end - start) <= repeated.Length - (datagram.Length - end))
                    {
                        datagram.AsSpan(start, end - start).CopyTo(repeated.AsSpan(at));
                        at += end - start;
                    }

                    datagram.AsSpan(end).CopyTo(repeated.AsSpan(at));
                    return Wire.WithHeaderLengthField(repeated, Math.Min(0xFFFF, repeated.Length - StunConstants.HeaderLength));
                }

            default:
                return datagram;
        }
    }

    private static T Pick<T>(Random random, T[] choices) => choices[random.Next(choices.Length)];
}
