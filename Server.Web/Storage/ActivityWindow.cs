namespace Punch.Server.Storage;

/// <summary>How far back the dashboard's charts look, and how wide one point is.</summary>
public enum ActivityWindow
{
    /// <summary>The last hour in 60 one-minute buckets.</summary>
    Hour,
    /// <summary>The last day in 48 half-hour buckets.</summary>
    Day,
}
