namespace Punch.Core.Streams;

/// <summary>The connection ends (RFC 9000 §19.19); no answer but a close of our own.</summary>
public readonly record struct CloseFrame(StreamErrorCode Code, string Reason)
{
    public int EncodedLength => 1 + VarInt.Length((ulong)Code) + ReasonText.EncodedLength(Reason);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)StreamFrameType.Close;
        int position = 1 + VarInt.Write(destination[1..], (ulong)Code);
        return position + ReasonText.Write(destination[position..], Reason);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out CloseFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        int position = 1;
        if (source.IsEmpty || source[0] != (byte)StreamFrameType.Close
            || !VarInt.TryRead(source, ref position, out ulong code) || !ReasonText.TryRead(source, ref position, out string reason))
        {
            return false;
        }

        frame = new CloseFrame((StreamErrorCode)code, reason);
        consumed = position;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out CloseFrame frame) => TryRead(source, out frame, out _);
}
