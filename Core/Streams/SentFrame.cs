namespace Punch.Core.Streams;

internal readonly record struct SentFrame(SentFrameKind Kind, ulong StreamId = 0, ulong Offset = 0, int Length = 0, bool Fin = false);
