using Microsoft.Extensions.Options;

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

/// <summary>Fails the start with a message that names the key to fix.</summary>
public sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    /// <summary>One largest UDP datagram: a smaller burst could never forward it.</summary>
    public const long MinBurstBytes = 65_536;

    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        var errors = new List<string>();
        string key = RelayOptions.SectionName;
        if (options.BytesPerSecond < 1_000)
        {
            errors.Add($"{key}:BytesPerSecond must be at least 1000 (got {options.BytesPerSecond}).");
        }

        if (options.BurstBytes < MinBurstBytes)
        {
            errors.Add($"{key}:BurstBytes must be at least {MinBurstBytes}, one largest datagram (got {options.BurstBytes}).");
        }

        if (options.MaxBytes < 1)
        {
            errors.Add($"{key}:MaxBytes must be at least 1 (got {options.MaxBytes}).");
        }

        if (options.IdleTimeout < TimeSpan.FromSeconds(1) || options.IdleTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{key}:IdleTimeout must be between 00:00:01 and 01:00:00 (got {options.IdleTimeout}).");
        }

        if (options.DirectGrace < TimeSpan.Zero || options.DirectGrace > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{key}:DirectGrace must be between 00:00:00 and 00:01:00 (got {options.DirectGrace}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
