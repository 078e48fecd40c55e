namespace Punch.Core.Streams;

public readonly record struct StreamEvent(StreamEventKind Kind, ulong StreamId = 0, StreamErrorCode Code = StreamErrorCode.NoError, string? Reason = null);
