namespace Punch.Core.Streams;

/// <summary>
/// One side's handshake (docs/stream-protocol.md §3.1, §7): the ephemeral key pair and the keys it
/// agrees, the hellos we send (at once, then 100 ms apart doubling to 1 s), and what the peer's hello
/// and packets that fail to authenticate lead to.
/// </summary>
internal sealed class Handshake(StreamRole role, ushort channel, ulong sessionId, ReadOnlyMemory<byte> secret) : IDisposable
{
    private const int FailuresBeforeGivingUp = 3;
    private static readonly TimeSpan FirstHelloInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxHelloInterval = TimeSpan.FromSeconds(1);

    private TimeSpan _interval = FirstHelloInterval;
    private int _failures;

    public PacketProtection Protection { get; } = new();

    /// <summary>When our next hello is due (while handshaking).</summary>
    public TimeSpan HelloDue { get; private set; }

    private bool UsesSecret => !secret.IsEmpty;

    public int WriteHello(Span<byte> destination, TimeSpan now)
    {
        HelloDue = now + _interval;
        _interval = _interval * 2 < MaxHelloInterval ? _interval * 2 : MaxHelloInterval;
        return new HelloPacket(channel, role, UsesSecret, Protection.PublicKey).WriteTo(destination);
    }

    /// <summary>Our hello goes again with the next datagram (the peer may not have it).</summary>
    public void RepeatHello(TimeSpan now) => HelloDue = now;

    public HelloOutcome OnHello(in HelloPacket hello, out string? failure)
    {
        failure = null;
        if (hello.Channel != channel || hello.Role == role)
        {
            return HelloOutcome.Ignored;
        }

        if (Protection.PeerPublicKey is { } known)
        {
            // One connection never changes keys.
            return known.AsSpan().SequenceEqual(hello.PublicKey.Span) ? HelloOutcome.Repeated : HelloOutcome.Ignored;
        }

        if (hello.UsesSecret != UsesSecret)
        {
            failure = hello.UsesSecret
                ? "handshake failed: the peer uses a --secret and we do not (give both sides the same --secret)"
                : "handshake failed: we use a --secret and the peer does not (give both sides the same --secret)";
            return HelloOutcome.Failed;
        }

        // Not a point on the curve: garbage, counted; the real hello is repeated.
        return Protection.TryAgree(hello.PublicKey.Span, role, sessionId, secret.Span, out _) ? HelloOutcome.Agreed : HelloOutcome.Ignored;
    }

    /// <summary>A protected packet failed to authenticate before any did; true once that is enough to give up.</summary>
    public bool OnAuthenticationFailure() => ++_failures >= FailuresBeforeGivingUp;

    public void Dispose() => Protection.Dispose();
}
