namespace Punch.Core.Streams;

/// <summary>A STREAM frame's fields, its data left where it is: <see cref="DataLength"/> bytes from <see cref="DataStart"/>.</summary>
public readonly record struct StreamFrameHeader(ulong StreamId, ulong Offset, int DataStart, int DataLength, bool Fin);
