namespace Punch.Server.Telemetry;

/// <summary>
/// Instruments with a fixed label set, which <see cref="ZeroSeries"/> starts at 0 once the exporters
/// listen (absent series break Prometheus's rate() and alerts). Each feature's stats implement it, so
/// Telemetry needs to know none of them.
/// </summary>
public interface IFixedSeries
{
    /// <summary>Adds 0 to every fixed series; no total changes.</summary>
    void PublishZeros();
}
