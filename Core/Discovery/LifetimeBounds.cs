namespace Punch.Core.Discovery;

/// <summary>The mapping lifetime as bounded by the probes: alive after <see cref="AtLeast"/>, gone by <see cref="Below"/> (null: alive at the longest probe).</summary>
public readonly record struct LifetimeBounds(TimeSpan AtLeast, TimeSpan? Below);
