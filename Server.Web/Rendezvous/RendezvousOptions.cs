using System.Net;

namespace Punch.Server.Rendezvous;

/// <summary>The UDP rendezvous: where it listens and how long registrations and introductions live. Section "Rendezvous".</summary>
public sealed class RendezvousOptions
{
    public const string SectionName = "Rendezvous";

    /// <summary>UDP port; 3478 is STUN's (RFC 8489 §18.1). 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 3478;

    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// A second UDP port (RFC 5780 §4.1 "alternate port") that answers Binding requests only. Peers compare the public endpoint seen
    /// on both ports to learn whether their NAT maps per destination (symmetric), which decides the
    /// punching strategy. Null: none (peers then punch without knowing). 0 picks a free port (tests).
    /// </summary>
    public int? AlternatePort { get; set; }

    /// <summary>
    /// A second IP address of this host (RFC 5780 §4.1 "alternate address") for NAT behaviour discovery: Binding is
    /// also answered on it (on Port and AlternatePort), and CHANGE-REQUEST can ask for it. Needs a specific BindAddress.
    /// </summary>
    public string? AlternateAddress { get; set; }

    /// <summary>
    /// This server's public IPv6 address, announced in Register responses to peers that registered over IPv4 (with
    /// <see cref="Port"/> as bound): such a peer sends a Binding there to learn its own public IPv6 endpoint (behind NAT66/NPTv6
    /// or a firewall with another outside address) and offers it as a candidate. Needs <see cref="BindAddress"/> <c>::</c> (one
    /// dual-stack socket). Null: not announced; peers registered over IPv4 then offer only their IPv6 host addresses.
    /// </summary>
    public string? PublicAddressV6 { get; set; }

    /// <summary>The same for IPv4: announced to peers that registered over IPv6. Needs <see cref="BindAddress"/> <c>::</c>.</summary>
    public string? PublicAddressV4 { get; set; }

    /// <summary>How long a registration lives without a refresh. Peers refresh at a third of it.</summary>
    public TimeSpan PeerLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First retransmission of an unacknowledged introduction; doubles per attempt (RFC 8489 §6.2.1 style).</summary>
    public TimeSpan IntroductionRetransmit { get; set; } = TimeSpan.FromMilliseconds(250);

    public int IntroductionAttempts { get; set; } = 7;

    /// <summary>
    /// How long an introduction waits for a peer that just registered to report its NAT mapping
    /// (it measures it against <see cref="AlternatePort"/> right after registering). Introducing it
    /// earlier would tell the other side "unknown", and the wrong punching strategy fails against a symmetric NAT.
    /// </summary>
    public TimeSpan MappingGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a connect request waits for its target to register.</summary>
    public TimeSpan PendingConnectTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long an introduced session may go without a path (a peer's PathUp report) before it ends
    /// Failed and frees its relay allocation and its session slot. Peers give up checking after 10 s
    /// (PunchOptions.Timeout), so this only ends sessions whose peers went quiet or never meant to connect.
    /// </summary>
    public TimeSpan PunchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Finished sessions are forgotten (in memory; the database keeps them) after this long.</summary>
    public TimeSpan SessionRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Bounds the in-memory registry so a flood of names cannot exhaust memory.</summary>
    public int MaxPeers { get; set; } = 10_000;

    /// <summary>Live sessions (not yet failed or closed) at once; finished ones kept for late reports do not count.</summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>
    /// Live sessions requested from one public IP address, so one host cannot take <see cref="MaxSessions"/> from the
    /// others. As generous as <see cref="MaxPeersPerAddress"/>: a carrier-grade NAT puts many real users behind one address.
    /// </summary>
    public int MaxSessionsPerAddress { get; set; } = 64;

    /// <summary>One network cannot take the whole registry (<see cref="MaxPeers"/>) from the others.</summary>
    public int MaxPeersPerNetwork { get; set; } = 1_000;

    /// <summary>
    /// Peers registered from one public IP address. Generous because a carrier-grade NAT puts many
    /// real users behind one address; it stops one host from filling a network with names.
    /// </summary>
    public int MaxPeersPerAddress { get; set; } = 64;

    /// <summary>Connect requests of one peer that wait for their target to register (each holds a session for <see cref="PendingConnectTimeout"/>).</summary>
    public int MaxPendingConnectsPerPeer { get; set; } = 16;

    /// <summary>Connect requests waiting for their target, over all peers.</summary>
    public int MaxPendingConnects { get; set; } = 1_000;

    /// <summary>Relay allocations (one per introduced session) at once; past it introductions carry no relay channel (counted in RendezvousStats). At most 4096, the ChannelData channel space (RFC 8656 §12).</summary>
    public int MaxRelayAllocations { get; set; } = 100;

    /// <summary>Relay allocations held by sessions requested from one public IP address; past it that address's new sessions are direct only.</summary>
    public int MaxRelayAllocationsPerAddress { get; set; } = 8;

    /// <summary>The per-source-address token bucket in front of the parser. Section "Rendezvous:RateLimit".</summary>
    public SourceRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>How often expiry and retransmission run.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Sockets on <see cref="Port"/>, each with its own receive thread (Linux, SO_REUSEPORT); null: one per
    /// core. One thread doing one syscall per datagram dropped up to 13 % at 100k/s on 2 cores.
    /// </summary>
    public int? ReceiveThreads { get; set; }

    /// <summary>
    /// Receive buffer asked for each socket (SO_RCVBUFFORCE when allowed, else SO_RCVBUF, which Linux caps at
    /// net.core.rmem_max); 0 keeps the OS default. 4 MiB holds ~20 ms of a 150k/s burst of small requests.
    /// </summary>
    public int ReceiveBufferBytes { get; set; } = 4 << 20;

    /// <summary>recvmmsg/sendmmsg on Linux; false reads one datagram per call (what other systems always do).</summary>
    public bool BatchedIo { get; set; } = true;

    public const int MaxReceiveThreads = 64;

    public IPEndPoint BindEndPoint => new(IPAddress.Parse(BindAddress), Port);

    /// <summary>The main port's sockets as configured (null <see cref="ReceiveThreads"/>: one per core).</summary>
    public UdpListenSettings MainListen => new(ReceiveThreads ?? Math.Min(Environment.ProcessorCount, MaxReceiveThreads), ReceiveBufferBytes, BatchedIo);
}
