namespace Punch.Core.Expose;

/// <summary>What one spliced connection carried, and how it ended.</summary>
public readonly record struct SpliceResult(long BytesAToB, long BytesBToA, string Ending);
