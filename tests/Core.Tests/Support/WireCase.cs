namespace Punch.Core.Tests.Support;

/// <summary>A message type's <c>TryRead</c>, in the shape most of them have.</summary>
internal delegate bool TryReader<T>(ReadOnlySpan<byte> datagram, out T value);

/// <summary>
/// One message written with fixed inputs: the bytes the writer produced, the bytes the spec says it
/// must produce, the reader for that kind of datagram, and a check that reading gives back the original.
/// </summary>
internal sealed class WireCase
{
    private WireCase(string name, byte[] datagram, string expectedHex, Func<byte[], bool> reads, Action<byte[]> assertReadsBackOriginal)
    {
        Name = name;
        _datagram = datagram;
        ExpectedHex = Hex.Normalize(expectedHex);
        Reads = reads;
        AssertReadsBackOriginal = assertReadsBackOriginal;
    }

    private readonly byte[] _datagram;

    public string Name { get; }

    /// <summary>A fresh copy on every read, so a test that edits it cannot change what other tests see.</summary>
    public byte[] Datagram => (byte[])_datagram.Clone();

    public string ExpectedHex { get; }

    /// <summary>Whether the message type's reader accepts the bytes. Must never throw, whatever they are.</summary>
    public Func<byte[], bool> Reads { get; }

    public Action<byte[]> AssertReadsBackOriginal { get; }

    /// <param name="assertEqual">How to compare the original with what was read; <see cref="Assert.Equal{T}(T, T)"/> unless a field needs more (ImmutableArray fields: xunit uses their IEquatable, which compares array references, so compare them as sequences).</param>
    public static WireCase Of<T>(string name, T original, SpanWriter write, TryReader<T> read, string expectedHex, Action<T, T>? assertEqual = null)
    {
        var compare = assertEqual ?? ((expected, actual) => Assert.Equal(expected, actual));
        return new WireCase(
            name,
            Wire.Write(write),
            expectedHex,
            bytes => read(bytes, out _),
            bytes =>
            {
                Assert.True(read(bytes, out var actual), $"{name} did not read back");
                compare(original, actual);
            });
    }

    public override string ToString() => Name;
}
