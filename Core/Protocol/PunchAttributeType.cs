namespace Punch.Core.Protocol;

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
    /// <summary>
    /// 4 bytes: the server's expose control port (TCP), in a Register success response when the server lets peers
    /// publish on its public ports; absent when it does not. So <c>--server</c> names the rendezvous everywhere and
    /// <c>punch expose --public-port</c> learns the control port from it.
    /// </summary>
    public const ushort ExposeControlPort = 0x7D19;
    /// <summary>
    /// XOR-address (in Register responses only): the server's rendezvous endpoint in the other IP family than the request's,
    /// where the peer sends a Binding to learn its public endpoint in that family (<see cref="RegistrationResponse.OtherFamilyEndPoint"/>).
    /// </summary>
    public const ushort OtherFamilyServer = 0x7D1A;
    /// <summary>
    /// Empty, in a Binding request: "also name your endpoint of the other IP family" (the answer carries <see cref="OtherFamilyServer"/>,
    /// as <c>punch netcheck</c> asks). Comprehension-optional (0x8000-0xFFFF, RFC 8489 §18.3) so a server that does not know it
    /// answers the Binding as usual instead of refusing it; only a client that asked ever sees the answer's attribute.
    /// </summary>
    public const ushort OtherFamilyQuery = 0xFD19;

    /// <summary>4 bytes: the ChannelData channel number (0x4000-0x4FFF, RFC 8656 §12) the relay uses for a session; both peers frame their data with it, relayed or direct.</summary>
    public const ushort RelayChannel = 0x7D20;

    /// <summary>16 bytes: application bytes a peer sent over the direct path (8) and over the relay (8), in a Report.</summary>
    public const ushort PathBytes = 0x7D21;

    /// <summary>20 bytes: <see cref="Protocol.AddressCookie"/>, the server's proof-of-address challenge, echoed in a Register or RelayActivate.</summary>
    public const ushort AddressCookie = 0x7D30;
}
