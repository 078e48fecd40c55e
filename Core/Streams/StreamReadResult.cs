namespace Punch.Core.Streams;

public readonly record struct StreamReadResult(StreamReadStatus Status, int Bytes);
