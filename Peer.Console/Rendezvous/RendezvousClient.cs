using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Hosting;

namespace Punch.Peer.Rendezvous;

/// <summary>Called with the server's answer (the raw datagram; empty for <see cref="ReplyKind.NoAnswer"/>).</summary>
internal delegate void ReplyHandler(ReplyKind kind, ReadOnlySpan<byte> datagram);

/// <summary>The same request again, as a new transaction that echoes the server's address cookie.</summary>
internal delegate byte[] CookieRewriter(AddressCookie cookie);

/// <summary>
/// Requests to the rendezvous server over UDP: sends, matches answers by transaction id and
/// retransmits like RFC 8489 §6.2.1 (RTO 250 ms doubling, here capped at 2 s so a dead server is
/// noticed in about 10 s rather than 40). Most requests go to the server's main port; the NAT
/// mapping probe goes to its probe port, and its answer counts only from there.
/// In a keyed network (<paramref name="networkKey"/>, derived by <see cref="MessageAuthentication.DeriveKey"/>)
/// it signs the requests it encodes and checks the server's signature on introductions.
/// Not thread-safe: the host calls it under its lock.
/// </summary>
internal sealed class RendezvousClient(IPEndPoint server, ISharedSocketSender sender, TimeProvider time, byte[]? networkKey = null)
{
    /// <summary>
    /// How old a signed introduction may be: the server's clock skew allowance plus its retransmissions
    /// (the same bytes, 7 sends doubling from 250 ms, about 32 s), with a margin.
    /// </summary>
    public static readonly TimeSpan IntroductionMaxAge = MessageAuthentication.MaxClockSkew + TimeSpan.FromSeconds(45);

    public const int DefaultAttempts = 7;
    public static readonly TimeSpan InitialRetransmit = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxRetransmit = TimeSpan.FromSeconds(2);

    private const int MaxChallenges = 2;

    private readonly Dictionary<TransactionId, PendingRequest> _pending = [];

    public IPEndPoint Server => server;

    public bool HasKey => networkKey is not null;

    /// <summary>Encodes a request, signed when the network has a key (the signature's TIMESTAMP is now).</summary>
    public byte[] Encode(SignedMessageWriter write) =>
        Wire.Encode(destination => write(destination, networkKey is null ? null : new MessageSignature(networkKey, time.GetUtcNow())));

    /// <summary>In a keyed network only introductions signed by the server with the network's key, recently, count; otherwise all do.</summary>
    public bool IsAuthentic(ReadOnlySpan<byte> introduction) =>
        networkKey is null
        || (MessageAuthentication.Verify(introduction, networkKey, out var signedAt) == SignatureCheck.Valid
            && signedAt >= time.GetUtcNow() - IntroductionMaxAge && signedAt <= time.GetUtcNow() + MessageAuthentication.MaxClockSkew);

    public int PendingCount => _pending.Count;

    public bool IsServer(IPEndPoint endPoint) => endPoint.Equals(server);

    /// <summary>
    /// Sends <paramref name="request"/> now and again until answered or <paramref name="attempts"/> sends went unanswered,
    /// to the server's main endpoint or to <paramref name="destination"/> (another port of the server).
    /// </summary>
    /// <param name="withCookie">
    /// For requests the server takes only from a source that showed it receives (Register, RelayActivate): how to
    /// write the request again with the cookie of an <see cref="AddressChallenge"/>; it is then sent at once.
    /// </param>
    public void Send(byte[] request, ReplyHandler onReply, int attempts = DefaultAttempts, IPEndPoint? destination = null, CookieRewriter? withCookie = null) =>
        Send(new PendingRequest(destination ?? server, request, onReply, attempts) { WithCookie = withCookie });

    private void Send(PendingRequest pending)
    {
        var transactionId = TransactionId.Read(pending.Request.AsSpan(8, StunConstants.TransactionIdLength));
        _pending[transactionId] = pending;
        Transmit(pending);
    }

    /// <summary>Consumes a response that came from the server's main endpoint (see the overload).</summary>
    public bool TryHandleResponse(ReadOnlySpan<byte> datagram) => TryHandleResponse(server, datagram);

    /// <summary>
    /// Consumes a success or error response to one of our requests, from where that request went;
    /// false when the datagram is not one (a Binding response may be a peer's answer to a check).
    /// </summary>
    public bool TryHandleResponse(IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        if (!StunMessage.TryParse(datagram, out var message)
            || message.Type.Class is not (StunClass.SuccessResponse or StunClass.ErrorResponse))
        {
            return false;
        }

        if (_pending.TryGetValue(message.TransactionId, out var pending) && pending.Destination.Equals(from))
        {
            _pending.Remove(message.TransactionId);
            // One challenge per request is the normal case; a second (the NAT moved us between the two sends) is
            // answered too, more would be a server that never accepts its own cookies: the 438 then reaches the caller.
            if (pending.WithCookie is { } rewrite && pending.Challenges < MaxChallenges && AddressChallenge.TryRead(datagram, out var challenge))
            {
                Send(new PendingRequest(pending.Destination, rewrite(challenge.Cookie), pending.OnReply, pending.Attempts)
                {
                    WithCookie = rewrite,
                    Challenges = pending.Challenges + 1,
                });
                return true;
            }

            pending.OnReply(message.Type.Class == StunClass.SuccessResponse ? ReplyKind.Success : ReplyKind.Error, datagram);
            return true;
        }

        // An answer to a request already answered (the server answered a retransmission too) is simply dropped.
        return IsServer(from) && message.Type.Method != StunMessageType.BindingMethod;
    }

    public void OnTimer()
    {
        long now = time.GetTimestamp();
        // Handlers may send new requests; collect first so the dictionary is not changed under the loop.
        var due = _pending.Where(p => p.Value.NextSend <= now).ToList();
        foreach (var (transactionId, pending) in due)
        {
            if (pending.Sent >= pending.Attempts)
            {
                _pending.Remove(transactionId);
                pending.OnReply(ReplyKind.NoAnswer, []);
            }
            else
            {
                Transmit(pending);
            }
        }
    }

    public TimeSpan? NextDue()
    {
        if (_pending.Count == 0)
        {
            return null;
        }

        return time.Until(_pending.Values.Min(p => p.NextSend));
    }

    private void Transmit(PendingRequest pending)
    {
        sender.Send(pending.Destination, pending.Request);
        pending.Sent++;
        // After the last send, the same wait again before giving up (RFC 8489 §6.2.1's final Rm wait, shortened).
        pending.NextSend = time.After(pending.Interval);
        pending.Interval = TimeSpan.FromTicks(Math.Min(pending.Interval.Ticks * 2, MaxRetransmit.Ticks));
    }

    private sealed class PendingRequest(IPEndPoint destination, byte[] request, ReplyHandler onReply, int attempts)
    {
        public IPEndPoint Destination { get; } = destination;
        public byte[] Request { get; } = request;
        public ReplyHandler OnReply { get; } = onReply;
        public int Attempts { get; } = attempts;
        public int Sent { get; set; }
        public long NextSend { get; set; }
        public TimeSpan Interval { get; set; } = InitialRetransmit;
        public CookieRewriter? WithCookie { get; init; }
        public int Challenges { get; init; }
    }
}
