namespace Punch.Core.Streams;

/// <summary>Keep-alive and ack-eliciting filler; no body.</summary>
public readonly record struct PingFrame
{
    public const int Length = 1;

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)StreamFrameType.Ping;
        return Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out PingFrame frame, out int consumed)
    {
        frame = default;
        consumed = source.Length > 0 && source[0] == (byte)StreamFrameType.Ping ? Length : 0;
        return consumed == Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out PingFrame frame) => TryRead(source, out frame, out _);
}
