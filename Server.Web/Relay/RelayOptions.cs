namespace Punch.Server.Relay;

/// <summary>
/// The session relay: per-allocation limits and how long forwarding outlives a direct path. Section
/// "Relay". How many allocations exist at once is Rendezvous:MaxRelayAllocations (it caps the channel table).
/// </summary>
public sealed class RelayOptions
{
    public const string SectionName = "Relay";

    /// <summary>Off: introductions carry no relay channel, every session is direct only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sustained bytes per second one allocation forwards, both directions together (a token bucket).</summary>
    public long BytesPerSecond { get; set; } = 2_000_000;

    /// <summary>Bytes an allocation may forward at once above the sustained rate before the rate limit applies.</summary>
    public long BurstBytes { get; set; } = 4_000_000;

    /// <summary>Bytes one allocation forwards in its whole life (both directions); reaching it closes the relay for the session for good.</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>No frame in either direction for this long: forwarding stops (RFC 8656 §7 lets an allocation lapse likewise); a peer may activate again.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After a peer reports a direct path, relayed frames still in flight drain for this long before forwarding stops.</summary>
    public TimeSpan DirectGrace { get; set; } = TimeSpan.FromSeconds(5);
}
