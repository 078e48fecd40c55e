using System.Net;
using Microsoft.Extensions.Options;
using Punch.Core.Peering;

namespace Punch.Server.Rendezvous;

/// <summary>Fails the start with a message that names the key to fix.</summary>
public sealed class RendezvousOptionsValidator : IValidateOptions<RendezvousOptions>
{
    public ValidateOptionsResult Validate(string? name, RendezvousOptions options)
    {
        var errors = new List<string>();
        string key = RendezvousOptions.SectionName;
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"{key}:Port must be 0-65535 (got {options.Port}).");
        }

        if (options.AlternatePort is < 0 or > 65535 || (options.AlternatePort is { } probe && probe != 0 && probe == options.Port))
        {
            errors.Add($"{key}:AlternatePort must be 0-65535 and differ from {key}:Port (got {options.AlternatePort}).");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"{key}:BindAddress must be an IP address such as 0.0.0.0 or 127.0.0.1 (got '{options.BindAddress}').");
        }

        errors.AddRange(AlternateAddressProblems(options));
        errors.AddRange(PublicAddressProblems(options));

        if (options.PeerLifetime < TimeSpan.FromSeconds(3))
        {
            errors.Add($"{key}:PeerLifetime must be at least 00:00:03 (got {options.PeerLifetime}).");
        }

        if (options.IntroductionRetransmit <= TimeSpan.Zero || options.IntroductionAttempts is < 1 or > 20)
        {
            errors.Add($"{key}:IntroductionRetransmit must be positive and {key}:IntroductionAttempts 1-20.");
        }

        if (options.MappingGrace < TimeSpan.Zero || options.MappingGrace > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{key}:MappingGrace must be between 00:00:00 and 00:00:30 (got {options.MappingGrace}).");
        }

        if (options.PendingConnectTimeout <= TimeSpan.Zero || options.SessionRetention <= TimeSpan.Zero)
        {
            errors.Add($"{key}:PendingConnectTimeout and {key}:SessionRetention must be positive.");
        }

        if (options.PunchTimeout < TimeSpan.FromSeconds(1) || options.PunchTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{key}:PunchTimeout must be between 00:00:01 and 01:00:00 (got {options.PunchTimeout}).");
        }

        if (options.MaxPeers < 1 || options.MaxSessions < 1)
        {
            errors.Add($"{key}:MaxPeers and {key}:MaxSessions must be at least 1.");
        }

        ValidateLimits(options, errors);

        if (options.ReceiveThreads is < 1 or > RendezvousOptions.MaxReceiveThreads)
        {
            errors.Add($"{key}:ReceiveThreads must be 1-{RendezvousOptions.MaxReceiveThreads}, or unset for one per core (got {options.ReceiveThreads}).");
        }

        if (options.ReceiveBufferBytes != 0 && options.ReceiveBufferBytes is < 65_536 or > 1 << 30)
        {
            errors.Add($"{key}:ReceiveBufferBytes must be 0 (the OS default) or 65536-1073741824 (got {options.ReceiveBufferBytes}).");
        }

        if (options.TickInterval < TimeSpan.FromMilliseconds(5) || options.TickInterval > TimeSpan.FromSeconds(1))
        {
            errors.Add($"{key}:TickInterval must be between 00:00:00.005 and 00:00:01.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateLimits(RendezvousOptions options, List<string> errors)
    {
        string key = RendezvousOptions.SectionName;
        RequireAtLeastOne(errors, $"{key}:MaxPeersPerNetwork", options.MaxPeersPerNetwork);
        RequireAtLeastOne(errors, $"{key}:MaxPeersPerAddress", options.MaxPeersPerAddress);
        RequireAtLeastOne(errors, $"{key}:MaxPendingConnectsPerPeer", options.MaxPendingConnectsPerPeer);
        RequireAtLeastOne(errors, $"{key}:MaxPendingConnects", options.MaxPendingConnects);
        RequireAtLeastOne(errors, $"{key}:MaxRelayAllocations", options.MaxRelayAllocations);
        RequireAtLeastOne(errors, $"{key}:MaxSessionsPerAddress", options.MaxSessionsPerAddress);
        RequireAtLeastOne(errors, $"{key}:MaxRelayAllocationsPerAddress", options.MaxRelayAllocationsPerAddress);
        if (options.MaxRelayAllocations > PeerFrame.ChannelCount)
        {
            errors.Add($"{key}:MaxRelayAllocations must be at most {PeerFrame.ChannelCount}, the number of relay channels (got {options.MaxRelayAllocations}).");
        }

        string rate = $"{key}:{nameof(RendezvousOptions.RateLimit)}";
        var limit = options.RateLimit;
        if (!double.IsFinite(limit.PacketsPerSecond) || limit.PacketsPerSecond <= 0)
        {
            errors.Add($"{rate}:PacketsPerSecond must be a positive number (got {limit.PacketsPerSecond}); set {rate}:Enabled=false to turn the limit off.");
        }

        if (limit.Burst < 1 || limit.Burst > 1_000_000)
        {
            errors.Add($"{rate}:Burst must be 1-1000000 (got {limit.Burst}).");
        }

        if (limit.IdleTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{rate}:IdleTimeout must be at least 00:00:01 (got {limit.IdleTimeout}).");
        }

        if (limit.MaxSources is < SourceRateLimitOptions.MinSources or > SourceRateLimitOptions.MaxMaxSources)
        {
            errors.Add($"{rate}:MaxSources must be {SourceRateLimitOptions.MinSources}-{SourceRateLimitOptions.MaxMaxSources} (got {limit.MaxSources}).");
        }
    }

    private static void RequireAtLeastOne(List<string> errors, string key, int value)
    {
        if (value < 1)
        {
            errors.Add($"{key} must be at least 1 (got {value}).");
        }
    }

    /// <summary>RESPONSE-ORIGIN and OTHER-ADDRESS must name real addresses, and answers must leave from the one a request reached.</summary>
    private static IEnumerable<string> AlternateAddressProblems(RendezvousOptions options)
    {
        string key = RendezvousOptions.SectionName;
        if (options.AlternateAddress is not { Length: > 0 } text)
        {
            yield break;
        }

        if (!IPAddress.TryParse(text, out var alternate))
        {
            yield return $"{key}:AlternateAddress must be an IP address of this host, such as 203.0.113.2 (got '{text}').";
        }
        else if (IPAddress.TryParse(options.BindAddress, out var bind)
            && (bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any) || bind.Equals(alternate) || bind.AddressFamily != alternate.AddressFamily))
        {
            yield return $"{key}:BindAddress must be a specific address of the same family as, and other than, {key}:AlternateAddress (got '{options.BindAddress}' and '{text}'): RFC 5780 answers name the address they leave from.";
        }
    }

    /// <summary>
    /// An announced address must be a unicast address of its family that a peer elsewhere can send to, and the server must
    /// listen in both families on one socket (BindAddress ::): a Binding to it must reach this listener.
    /// </summary>
    private static IEnumerable<string> PublicAddressProblems(RendezvousOptions options)
    {
        string key = RendezvousOptions.SectionName;
        foreach (var (name, text, family) in new[]
        {
            (nameof(RendezvousOptions.PublicAddressV6), options.PublicAddressV6, System.Net.Sockets.AddressFamily.InterNetworkV6),
            (nameof(RendezvousOptions.PublicAddressV4), options.PublicAddressV4, System.Net.Sockets.AddressFamily.InterNetwork),
        })
        {
            if (text is not { Length: > 0 })
            {
                continue;
            }

            string example = family == System.Net.Sockets.AddressFamily.InterNetwork ? "203.0.113.7" : "2001:db8::7";
            if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != family || address.IsIPv4MappedToIPv6
                || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6Multicast || address.IsIPv6LinkLocal
                || (family == System.Net.Sockets.AddressFamily.InterNetwork && (address.GetAddressBytes()[0] is >= 224 || address.Equals(IPAddress.Broadcast))))
            {
                yield return $"{key}:{name} must be a unicast {(family == System.Net.Sockets.AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address of this server, such as {example} (got '{text}').";
            }
            else if (!IPAddress.TryParse(options.BindAddress, out var bind) || !bind.Equals(IPAddress.IPv6Any))
            {
                yield return $"{key}:{name} needs {key}:BindAddress=:: (one socket for both families; got '{options.BindAddress}').";
            }
        }
    }
}
