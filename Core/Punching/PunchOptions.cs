namespace Punch.Core.Punching;

/// <summary>
/// Timing of connectivity checks and keepalives. The defaults and their reasons:
/// <list type="bullet">
/// <item><see cref="Pacing"/> 20 ms: RFC 8445 §14.2 requires at least 5 ms between checks (Ta);
/// 20 ms keeps a long candidate list from looking like a flood and gives NATs time to allocate.</item>
/// <item><see cref="InitialRetransmit"/> 100 ms doubling to <see cref="MaxRetransmit"/> 500 ms: the first
/// checks of both sides usually die at the other side's NAT, which has no mapping yet; the hole opens
/// once both have sent, so quick early retries cut the time to connect, and the steady 500 ms is
/// RFC 8445 §14.3's minimum RTO. Checks go on until <see cref="Timeout"/> rather than for a fixed
/// count, so random loss delays the path but does not kill it.</item>
/// <item><see cref="KeepaliveInterval"/> 5 s: below every common NAT UDP timeout (RFC 4787 REQ-5 asks
/// for at least 2 min, but Linux conntrack forgets an unreplied flow after 30 s and many home
/// routers after 30-60 s), and doubles as consent freshness (RFC 7675).</item>
/// <item><see cref="PathTimeout"/> 15 s: three keepalives without an answer mean the path is gone.</item>
/// <item>Port prediction (symmetric NAT on one side only): <see cref="PredictionSockets"/> 256 sockets on
/// the symmetric side and <see cref="PredictionProbes"/> 1000 probes from the other. Linux picks
/// random ports from 1024-65535 (64512), so the chance that no probe hits any socket is about
/// exp(-256 × 1000 / 64512) ≈ 2%. <see cref="PredictionBatch"/> checks go out per pacing interval
/// (500 a second at the defaults), so the probes take about 2 s and stay bounded in count.</item>
/// </list>
/// </summary>
public sealed record PunchOptions
{
    public TimeSpan Pacing { get; init; } = TimeSpan.FromMilliseconds(20);
    public TimeSpan InitialRetransmit { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxRetransmit { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan PathTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public int PredictionSockets { get; init; } = 256;
    public int PredictionProbes { get; init; } = 1000;
    public int PredictionBatch { get; init; } = 10;

    /// <summary>How often each prediction socket re-sends its check, keeping its NAT mapping alive until a probe finds it.</summary>
    public TimeSpan PredictionRetransmit { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Returns what is wrong with the options, or null.</summary>
    public string? Validate()
    {
        if (Pacing < TimeSpan.FromMilliseconds(5))
        {
            return "Pacing must be at least 5 ms (RFC 8445 §14.2).";
        }

        if (InitialRetransmit <= TimeSpan.Zero || MaxRetransmit < InitialRetransmit)
        {
            return "InitialRetransmit must be positive and at most MaxRetransmit.";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            return "Timeout must be positive.";
        }

        if (PredictionSockets is < 0 or > 1024 || PredictionProbes is < 0 or > 10_000 || PredictionBatch is < 1 or > 100 || PredictionRetransmit <= TimeSpan.Zero)
        {
            return "PredictionSockets must be 0-1024, PredictionProbes 0-10000, PredictionBatch 1-100 and PredictionRetransmit positive.";
        }

        return KeepaliveInterval <= TimeSpan.Zero || PathTimeout <= KeepaliveInterval
            ? "KeepaliveInterval must be positive and shorter than PathTimeout."
            : null;
    }
}
