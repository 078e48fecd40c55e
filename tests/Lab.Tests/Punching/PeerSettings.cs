namespace Punch.Lab.Tests.Punching;

/// <summary>How two peers are run: pings and timing flags of <c>punch connect</c>, and which paths they may use.</summary>
public sealed record PeerSettings(int Count = 3, double IntervalSeconds = 0.2, double TimeoutSeconds = 10, bool DirectOnly = false)
{
    /// <summary>Room for start-up, the punch, every ping and the default 2 s linger; past it the run is stuck.</summary>
    public TimeSpan ExitLimit => TimeSpan.FromSeconds(TimeoutSeconds + (Count * IntervalSeconds) + 30);
}
