namespace Punch.Core.Protocol;

/// <summary>
/// Punch's own STUN methods. The IANA "STUN Methods" registry assigns 0x000-0x00C and 0x080
/// (GOOG-PING); 0xD00-0xDFF is unassigned (designated-expert range, RFC 8489 §18.2), so nothing
/// standard collides with these and stock STUN tools simply see unknown methods.
/// </summary>
public static class PunchMethod
{
    /// <summary>Peer → server: "I am NAME in NETWORK, these are my host candidates." Answered with the public endpoint and lifetime.</summary>
    public const ushort Register = 0xD01;
    /// <summary>Peer → server: keep my registration alive (LIFETIME 0 = unregister).</summary>
    public const ushort Refresh = 0xD02;
    /// <summary>Peer → server: introduce me to TARGET-PEER.</summary>
    public const ushort Connect = 0xD03;
    /// <summary>Server → peer (a request, acknowledged by the peer): the other side's candidates and the session credentials.</summary>
    public const ushort Introduction = 0xD04;
    /// <summary>Peer → server: outcome of a session (path up, failed, closed) with timings and check counts.</summary>
    public const ushort Report = 0xD05;
    /// <summary>
    /// Server → peer, an indication (no answer): "I am shutting down; register again once I am back."
    /// Sent to every registered peer when the server stops gracefully. Unauthenticated on purpose: the
    /// worst a forged one can do is make a peer register again a little early, which is harmless.
    /// </summary>
    public const ushort Goodbye = 0xD06;

    /// <summary>
    /// Peer → server: start relaying my session (or again, after falling back). Signed with
    /// MESSAGE-INTEGRITY under the sender's session password (the short-term credential the
    /// introduction gave it, RFC 8489 §9.1), USERNAME = the sender's ufrag. The answer carries the
    /// relay channel. From then on the server forwards ChannelData-framed datagrams of that channel
    /// between the two peers' activated endpoints, and only between them (no open relay).
    /// </summary>
    public const ushort RelayActivate = 0xD07;

    /// <summary>Server → peer (indication): the relay stopped forwarding for the session (a limit, or idle); REASON says which.</summary>
    public const ushort RelayClosed = 0xD08;
}

/// <summary>
/// Punch's own attributes, all in the comprehension-required designated-expert range
/// (0x4000-0x7FFF, RFC 8489 §18.3) at 0x7D01-0x7DFF, which IANA has not assigned. They only appear
/// in Punch methods, so a standard STUN agent never has to understand them.
/// </summary>
public static class PunchAttributeType
{
    /// <summary>UTF-8 peer name, 1-64 bytes of [A-Za-z0-9._-].</summary>
    public const ushort PeerName = 0x7D01;
    /// <summary>UTF-8 network name, same rules as a peer name.</summary>
    public const ushort Network = 0x7D02;
    /// <summary>UTF-8 name of the peer a Connect asks for.</summary>
    public const ushort TargetPeer = 0x7D03;
    /// <summary>A candidate: kind (1 byte), 3 zero bytes, then an XOR-MAPPED-ADDRESS value. Repeated, one per candidate.</summary>
    public const ushort Candidate = 0x7D04;
    /// <summary>8-byte session id.</summary>
    public const ushort SessionId = 0x7D05;
    public const ushort LocalUsernameFragment = 0x7D06;
    public const ushort LocalPassword = 0x7D07;
    public const ushort RemoteUsernameFragment = 0x7D08;
    public const ushort RemotePassword = 0x7D09;
    /// <summary>1 byte: 1 when the receiver of an Introduction is the controlling agent (RFC 8445 §6.1.1), 0 otherwise.</summary>
    public const ushort Role = 0x7D0A;
    /// <summary>1 byte: <see cref="SessionOutcome"/>.</summary>
    public const ushort Outcome = 0x7D0B;
    /// <summary>XOR-address of the endpoint the reporting peer sends to.</summary>
    public const ushort RemoteAddress = 0x7D0C;
    /// <summary>4 bytes: milliseconds from introduction to the outcome.</summary>
    public const ushort ElapsedMilliseconds = 0x7D0D;
    /// <summary>4 bytes: round-trip time in microseconds.</summary>
    public const ushort RttMicroseconds = 0x7D0E;
    /// <summary>8 bytes: checks sent (4) and checks received (4).</summary>
    public const ushort CheckCounts = 0x7D0F;
    /// <summary>UTF-8 reason a person can act on, at most 256 bytes.</summary>
    public const ushort Reason = 0x7D10;
    /// <summary>1 byte: <see cref="ConnectStatus"/>.</summary>
    public const ushort ConnectStatus = 0x7D11;
    /// <summary>1 byte: <see cref="PathKind"/>.</summary>
    public const ushort PathKind = 0x7D12;
    /// <summary>1 byte: <see cref="NatMapping"/>, what the peer measured of its own NAT (in Register/Refresh) or of the other side (in Introduction).</summary>
    public const ushort NatMapping = 0x7D13;
    /// <summary>4 bytes: a second UDP port of the server that answers Binding requests, so a peer can compare its mapping toward two destinations (RFC 5780 §4.3 in miniature).</summary>
    public const ushort ProbePort = 0x7D14;
    /// <summary>
    /// 8 bytes: when the sender signed the message, milliseconds since 1970-01-01 UTC. Present with
    /// MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6) in the messages of a keyed network, before it so the
    /// HMAC covers it: the receiver refuses a signature too far from its own clock, which bounds how
    /// long it must remember transaction ids to refuse replays (<see cref="MessageAuthentication"/>).
    /// </summary>
    public const ushort Timestamp = 0x7D15;

    /// <summary>
    /// 1 byte: the NAT's filtering (RFC 4787 §5) as <see cref="Discovery.NatBehaviour"/> (1-3), what the peer
    /// discovered of its own NAT (Register/Refresh, RFC 5780 §4.4) or of the other side (Introduction).
    /// Absent, 0, or a value this side does not know: unknown.
    /// </summary>
    public const ushort NatFiltering = 0x7D16;
    /// <summary>1 byte: 1 when the peer's NAT hairpins (RFC 4787 §6, RFC 5780 §4.5), 0 when it does not; absent or another value: unknown.</summary>
    public const ushort Hairpinning = 0x7D17;
    /// <summary>1 byte: 1 when the NAT kept the local port as the public one (RFC 4787 §4.1 port preservation), 0 when not; absent or another value: unknown.</summary>
    public const ushort PortPreservation = 0x7D18;

    /// <summary>4 bytes: the ChannelData channel number (0x4000-0x4FFF, RFC 8656 §12) the relay uses for a session; both peers frame their data with it, relayed or direct.</summary>
    public const ushort RelayChannel = 0x7D20;

    /// <summary>16 bytes: application bytes a peer sent over the direct path (8) and over the relay (8), in a Report.</summary>
    public const ushort PathBytes = 0x7D21;

    /// <summary>20 bytes: <see cref="Protocol.AddressCookie"/>, the server's proof-of-address challenge, echoed in a Register or RelayActivate.</summary>
    public const ushort AddressCookie = 0x7D30;
}

/// <summary>Error codes in Punch's error responses (RFC 8489 §14.8 ranges).</summary>
public static class PunchErrorCode
{
    public const int BadRequest = 400;
    /// <summary>RFC 8489 §14.8 "Unauthenticated": a keyed network's request without a valid, fresh, unreplayed MESSAGE-INTEGRITY-SHA256.</summary>
    public const int Unauthenticated = 401;
    /// <summary>A refresh, connect or report from a peer the server does not know (expired, or the server restarted): register again.</summary>
    public const int NotRegistered = 404;
    /// <summary>The name is held by another live peer.</summary>
    public const int NameTaken = 409;
    /// <summary>A request from an address other than the registration's.</summary>
    public const int AddressMismatch = 437;
    /// <summary>
    /// The request came from an address the server has not seen receive: retry with the ADDRESS-COOKIE of
    /// this answer (<see cref="AddressChallenge"/>). The code is RFC 8489 §14.8's "Stale Nonce", whose
    /// meaning ("retry with the value in this response") is the same.
    /// </summary>
    public const int AddressProofRequired = 438;

    /// <summary>RFC 8656 §18.8: the relay refuses another allocation (per-session or server-wide limit).</summary>
    public const int AllocationQuotaReached = 486;
    public const int ServerError = 500;
}

public enum SessionOutcome : byte
{
    PathUp = 1,
    Failed = 2,
    Closed = 3,
    ChecksSummary = 4,
}

public enum ConnectStatus : byte
{
    /// <summary>The target is not registered (yet); the introduction follows when it registers or asks too.</summary>
    WaitingForPeer = 1,
    /// <summary>Both are registered; the introduction is on its way.</summary>
    Introducing = 2,
}

/// <summary>
/// How a NAT maps one local socket toward different destinations (RFC 4787 §4.1). It decides the
/// punching strategy: endpoint-dependent mapping (a "symmetric" NAT) gives a new public port per
/// destination, so the port the server saw is useless to the other peer.
/// </summary>
public enum NatMapping : byte
{
    Unknown = 0,
    /// <summary>The same public endpoint toward every destination (full cone, restricted cone, or no NAT).</summary>
    EndpointIndependent = 1,
    /// <summary>A different public endpoint per destination (address- or address-and-port-dependent: symmetric).</summary>
    EndpointDependent = 2,
}

public enum PathKind : byte
{
    Direct = 1,
    Relayed = 2,
}
