using System.Buffers.Binary;

namespace Punch.Fuzz;

/// <summary>
/// A small seeded mutator for the in-process smoke run (AFL++ does the real, coverage-guided work):
/// bit flips, random and "interesting" bytes, truncation, extension, splicing two inputs,
/// rewriting the 16-bit length fields STUN and the peer frame depend on, and growing an input across
/// the 1,200-byte datagram size Core's fixed buffers are made for.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x03, 0x04, 0x7F, 0x80, 0xFF, 0x7D, 0x21, 0x12, 0xA4, 0x42];
    private const int MaxLength = 2048;
    private const int DatagramBufferLength = 1200;

    private readonly Random _random = new(seed);

    public byte[] Mutate(IReadOnlyList<byte[]> corpus)
    {
        var input = (byte[])corpus[_random.Next(corpus.Count)].Clone();
        int edits = 1 + _random.Next(4);
        for (int i = 0; i < edits; i++)
        {
            input = MutateOnce(input, corpus);
        }

        return input.Length > MaxLength ? input[..MaxLength] : input;
    }

    private byte[] MutateOnce(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        switch (_random.Next(8))
        {
            case 0 when input.Length > 0:
                input[_random.Next(input.Length)] ^= (byte)(1 << _random.Next(8));
                return input;
            case 1 when input.Length > 0:
                input[_random.Next(input.Length)] = _random.Next(2) == 0 ? (byte)_random.Next(256) : InterestingBytes[_random.Next(InterestingBytes.Length)];
                return input;
            case 2:
                return input[.._random.Next(input.Length + 1)];
            case 3:
                {
                    var longer = new byte[input.Length + _random.Next(1, 64)];
                    input.CopyTo(longer, 0);
                    _random.NextBytes(longer.AsSpan(input.Length));
                    return longer;
                }

            case 4:
                {
                    var other = corpus[_random.Next(corpus.Count)];
                    int cut = _random.Next(input.Length + 1);
                    int from = _random.Next(other.Length + 1);
                    return [.. input.AsSpan(0, cut), .. other.AsSpan(from)];
                }

            case 5 when input.Length >= 4:
                {
                    // A length field: the STUN header's (offset 2) or an attribute's (offset 22, 26, ... in typical messages), or any 16-bit position.
                    int at = _random.Next(3) == 0 ? 2 : _random.Next(input.Length - 1);
                    ushort value = _random.Next(3) switch
                    {
                        0 => (ushort)_random.Next(0x10000),
                        1 => (ushort)Math.Max(0, input.Length - 20 + _random.Next(-8, 9)),
                        _ => (ushort)(BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(at)) + _random.Next(-4, 5)),
                    };
                    BinaryPrimitives.WriteUInt16BigEndian(input.AsSpan(at), value);
                    return input;
                }

            case 6 when input.Length > 0:
                {
                    // Repeating the input keeps its structure (frames back to back); small steps from seeds never get this far.
                    var grown = new byte[DatagramBufferLength + _random.Next(-100, 400)];
                    for (int at = 0; at < grown.Length; at += input.Length)
                    {
                        input.AsSpan(0, Math.Min(input.Length, grown.Length - at)).CopyTo(grown.AsSpan(at));
                    }

                    return grown;
                }

            default:
                return input;
        }
    }
}
