namespace Punch.Core.Streams;

/// <summary>A half-open range [<see cref="Start"/>, <see cref="End"/>) of offsets or packet numbers.</summary>
public readonly record struct ValueRange(ulong Start, ulong End)
{
    public ulong Length => End - Start;
}
