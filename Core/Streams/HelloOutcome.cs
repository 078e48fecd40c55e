namespace Punch.Core.Streams;

/// <summary>What a peer's hello means for the handshake.</summary>
internal enum HelloOutcome
{
    /// <summary>Not for us (another channel, our own role, a key we do not hold, not a curve point): counted and dropped.</summary>
    Ignored,
    /// <summary>The hello we already agreed keys with: the peer has not read our packets yet.</summary>
    Repeated,
    /// <summary>Keys agreed just now.</summary>
    Agreed,
    /// <summary>The handshake cannot work (a secret on one side only); the reason says so.</summary>
    Failed,
}
