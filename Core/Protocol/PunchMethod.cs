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
