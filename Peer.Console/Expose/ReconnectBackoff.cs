namespace Punch.Peer.Expose;

/// <summary>
/// How long to wait before connecting to the server again: doubling from <paramref name="first"/> up
/// to <paramref name="max"/>, with up to a fifth of random spread so a server that restarts is not met
/// by every peer in the same instant; back to the start once a connection was up.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan first, TimeSpan max, Random random)
{
    private int _failures;

    public TimeSpan Next()
    {
        double factor = Math.Pow(2, Math.Min(_failures, 30));
        _failures++;
        var delay = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, max.Ticks));
        return delay + TimeSpan.FromTicks((long)(delay.Ticks * 0.2 * random.NextDouble()));
    }

    public void Reset() => _failures = 0;
}
