namespace Punch.Core.Expose;

/// <summary>One end of a splice: its stream and how to half-close it (TCP shutdown of the send side).</summary>
public sealed record SpliceEnd(Stream Stream, Action ShutdownSend, string Name);
