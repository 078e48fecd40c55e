namespace Punch.Core.Streams;

/// <summary>The sender abandons its side of a stream at <see cref="FinalSize"/> bytes (RFC 9000 §19.4), saying why.</summary>
public readonly record struct ResetStreamFrame(ulong StreamId, StreamErrorCode Code, ulong FinalSize, string Reason)
{
    public int EncodedLength => 1 + VarInt.Length(StreamId) + VarInt.Length((ulong)Code) + VarInt.Length(FinalSize) + ReasonText.EncodedLength(Reason);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)StreamFrameType.ResetStream;
        int position = 1;
        position += VarInt.Write(destination[position..], StreamId);
        position += VarInt.Write(destination[position..], (ulong)Code);
        position += VarInt.Write(destination[position..], FinalSize);
        return position + ReasonText.Write(destination[position..], Reason);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out ResetStreamFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        int position = 1;
        if (source.IsEmpty || source[0] != (byte)StreamFrameType.ResetStream
            || !VarInt.TryRead(source, ref position, out ulong id) || !VarInt.TryRead(source, ref position, out ulong code)
            || !VarInt.TryRead(source, ref position, out ulong finalSize) || !ReasonText.TryRead(source, ref position, out string reason))
        {
            return false;
        }

        frame = new ResetStreamFrame(id, (StreamErrorCode)code, finalSize, reason);
        consumed = position;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out ResetStreamFrame frame) => TryRead(source, out frame, out _);
}
