namespace Punch.Server.Rendezvous;

/// <summary>Every limit hit since start: datagrams dropped by the rate limit and requests refused by a cap.</summary>
public sealed record LimitCounters(
    long RateLimited,
    long RateLimitEvictions,
    long PeersRefused,
    long PeersPerNetworkRefused,
    long PeersPerAddressRefused,
    long SessionsRefused,
    long PendingConnectsRefused,
    long PendingConnectsPerPeerRefused,
    long RelayAllocationsRefused,
    long RelayRateExceeded,
    long RelayTotalBytesReached,
    long RelayIdleReleased,
    long SessionsPerAddressRefused,
    long RelayAllocationsPerAddressRefused,
    long PunchTimeouts,
    long AddressChallenges);
