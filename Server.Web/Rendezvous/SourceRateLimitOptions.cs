namespace Punch.Server.Rendezvous;

/// <summary>The per-source-address token bucket in front of the parser. Section "Rendezvous:RateLimit".</summary>
public sealed class SourceRateLimitOptions
{
    public const int MinSources = 64;
    public const int MaxMaxSources = 1 << 20;

    /// <summary>Off only for benchmarks and private deployments; a public server needs it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Sustained datagrams per second from one IP address (both UDP ports together). A peer sends a
    /// few per minute; many peers behind one carrier-grade NAT share an address, hence the headroom.
    /// </summary>
    public double PacketsPerSecond { get; set; } = 100;

    /// <summary>How many datagrams one address may send at once before the sustained rate applies.</summary>
    public int Burst { get; set; } = 400;

    /// <summary>A source not heard from for this long has left: its slot is free for a new one without counting as an eviction.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many source addresses are tracked at once (rounded up to a power of two). The table is
    /// allocated once at this size (32 bytes a source), so spoofed sources cannot grow memory.
    /// </summary>
    public int MaxSources { get; set; } = 65_536;
}
