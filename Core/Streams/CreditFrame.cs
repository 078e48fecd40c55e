namespace Punch.Core.Streams;

/// <summary>
/// A flow-control credit (RFC 9000 §19.9-19.11): <see cref="StreamFrameType.MaxData"/> for the whole
/// connection, <see cref="StreamFrameType.MaxStreamData"/> for one stream (<see cref="StreamId"/>),
/// <see cref="StreamFrameType.MaxStreams"/> for how many streams the peer may open in all. Limits only grow.
/// </summary>
public readonly record struct CreditFrame(StreamFrameType Type, ulong StreamId, ulong Maximum)
{
    public static CreditFrame MaxData(ulong maximum) => new(StreamFrameType.MaxData, 0, maximum);
    public static CreditFrame MaxStreamData(ulong streamId, ulong maximum) => new(StreamFrameType.MaxStreamData, streamId, maximum);
    public static CreditFrame MaxStreams(ulong maximum) => new(StreamFrameType.MaxStreams, 0, maximum);

    public int EncodedLength => 1 + (Type == StreamFrameType.MaxStreamData ? VarInt.Length(StreamId) : 0) + VarInt.Length(Maximum);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)Type;
        int position = 1;
        if (Type == StreamFrameType.MaxStreamData)
        {
            position += VarInt.Write(destination[position..], StreamId);
        }

        return position + VarInt.Write(destination[position..], Maximum);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out CreditFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        if (source.IsEmpty || source[0] is not ((byte)StreamFrameType.MaxData or (byte)StreamFrameType.MaxStreamData or (byte)StreamFrameType.MaxStreams))
        {
            return false;
        }

        var type = (StreamFrameType)source[0];
        int position = 1;
        ulong id = 0;
        if ((type == StreamFrameType.MaxStreamData && !VarInt.TryRead(source, ref position, out id)) || !VarInt.TryRead(source, ref position, out ulong maximum))
        {
            return false;
        }

        frame = new CreditFrame(type, id, maximum);
        consumed = position;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out CreditFrame frame) => TryRead(source, out frame, out _);
}
