namespace Punch.Core.Streams;

/// <summary>The receiver wants no more of a stream (RFC 9000 §19.5); the sender answers with a reset.</summary>
public readonly record struct StopSendingFrame(ulong StreamId, StreamErrorCode Code)
{
    public int EncodedLength => 1 + VarInt.Length(StreamId) + VarInt.Length((ulong)Code);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)StreamFrameType.StopSending;
        int position = 1 + VarInt.Write(destination[1..], StreamId);
        return position + VarInt.Write(destination[position..], (ulong)Code);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out StopSendingFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        int position = 1;
        if (source.IsEmpty || source[0] != (byte)StreamFrameType.StopSending
            || !VarInt.TryRead(source, ref position, out ulong id) || !VarInt.TryRead(source, ref position, out ulong code))
        {
            return false;
        }

        frame = new StopSendingFrame(id, (StreamErrorCode)code);
        consumed = position;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out StopSendingFrame frame) => TryRead(source, out frame, out _);
}
