namespace Punch.Server.Storage;

/// <summary>
/// One cell of the NAT pair matrix: the sessions between a peer behind <see cref="TypeA"/> and one behind
/// <see cref="TypeB"/> (either way round), and how they ended up. A session counts as <see cref="Direct"/> or
/// <see cref="Relayed"/> by its current (or last) path, as <see cref="Failed"/> when it ended without one; the
/// rest are still punching.
/// </summary>
public sealed record NatPairCell(string TypeA, string TypeB, int Sessions, int Direct, int Relayed, int Failed)
{
    /// <summary>Median time from the introduction to the direct path, over the cell's direct sessions; null when none.</summary>
    public double? MedianTimeToDirectMs { get; init; }

    public double DirectPercent => Percent(Direct);

    public double RelayedPercent => Percent(Relayed);

    public double FailedPercent => Percent(Failed);

    private double Percent(int count) => Sessions == 0 ? 0 : 100.0 * count / Sessions;
}
