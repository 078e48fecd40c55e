namespace Punch.Lab.Tests.Punching;

/// <summary>The outcome of two peers that connected to each other.</summary>
public sealed record PairOutcome(PeerOutcome A, PeerOutcome B)
{
    public bool BothDirect => A.IsDirect && B.IsDirect;

    public bool BothRelayed => A.IsRelayed && B.IsRelayed;

    /// <summary>"direct", "relayed" or "failed": where both ended, as the matrix table prints it.</summary>
    public string Path => BothDirect ? "direct" : BothRelayed ? "relayed" : "failed";

    /// <summary>The slower side's time to path: the pair is connected when both are.</summary>
    public double? TimeToPathMs => A.TimeToPathMs is { } a && B.TimeToPathMs is { } b ? Math.Max(a, b) : null;

    public override string ToString() => $"{A}\n{B}";
}
