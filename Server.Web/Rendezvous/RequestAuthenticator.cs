using System.Collections.Concurrent;
using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Server.Rendezvous;

/// <summary>
/// Who may do what on the UDP side: a request (Register, Refresh, Connect, Report) claiming a keyed
/// network must carry MESSAGE-INTEGRITY-SHA256 under that network's key (<see cref="MessageAuthentication"/>),
/// a TIMESTAMP within <see cref="MessageAuthentication.MaxClockSkew"/> of the server's clock, and a
/// transaction id the network has not used in that time. Introduction acknowledgements are not
/// signed: they only stop retransmissions, and count only from the address the introduction went to.
/// Thread-safe.
/// </summary>
public sealed class RequestAuthenticator(NetworkKeys keys)
{
    /// <summary>Transaction ids remembered per keyed network. Only authenticated requests enter, so filling it takes the key; past it the oldest is forgotten.</summary>
    public const int ReplayCapacity = 4096;

    private readonly ConcurrentDictionary<string, ReplayWindow> _windows = new(StringComparer.Ordinal);

    public Authentication Authenticate(ReadOnlySpan<byte> datagram, StunMessageType type, IPEndPoint from, DateTimeOffset now)
    {
        if (type.Class != StunClass.Request || type.Method is not (PunchMethod.Register or PunchMethod.Refresh or PunchMethod.Connect or PunchMethod.Report or Core.Expose.ExposeMethod.Register)
            // Without any keyed network the identity is not read here: its strings were 80 of the 597 bytes a Refresh allocated.
            || keys.IsEmpty || !MessageAuthentication.TryGetClaimedIdentity(datagram, out var peer) || !keys.TryGetKey(peer.Network, out var key))
        {
            return default;
        }

        var transactionId = TransactionId.Read(datagram.Slice(8, StunConstants.TransactionIdLength));
        var refused = new Authentication(AuthenticationOutcome.NoKey, peer, transactionId);
        switch (MessageAuthentication.Verify(datagram, key, out var signedAt))
        {
            case SignatureCheck.Unsigned:
                return refused with { Detail = $"network {peer.Network} requires requests signed with its key (MESSAGE-INTEGRITY-SHA256 and TIMESTAMP)" };
            case SignatureCheck.WrongKey:
                return refused with { Outcome = AuthenticationOutcome.WrongKey, Detail = $"the MESSAGE-INTEGRITY-SHA256 does not verify under the key of network {peer.Network}" };
        }

        // The replay window is asked before the clock: a retransmission of a request we accepted gets the same answer even when it is late.
        bool fresh = MessageAuthentication.IsFresh(signedAt, now, MessageAuthentication.MaxClockSkew);
        var window = _windows.GetOrAdd(peer.Network, static _ => new ReplayWindow(ReplayCapacity));
        switch (window.Check(transactionId, from, signedAt, now, addIfNew: fresh, out var cachedReply))
        {
            case ReplayWindow.Seen.SameSource:
                return new Authentication(AuthenticationOutcome.Retransmission, peer, transactionId, CachedReply: cachedReply);
            case ReplayWindow.Seen.OtherSource:
                return refused with { Outcome = AuthenticationOutcome.Replayed, Detail = $"transaction {transactionId} was already used from another address" };
        }

        if (!fresh)
        {
            return refused with
            {
                Outcome = AuthenticationOutcome.ClockSkew,
                Detail = $"signed at {signedAt:O}, {(now - signedAt).TotalSeconds:0} s from the server's clock (at most {MessageAuthentication.MaxClockSkew.TotalSeconds:0} s either way)",
            };
        }

        return new Authentication(AuthenticationOutcome.Authenticated, peer, transactionId);
    }

    /// <summary>Keeps the reply to an authenticated request, for its retransmissions.</summary>
    public void Remember(in Authentication authentication, ReadOnlySpan<byte> reply)
    {
        if (authentication.Outcome == AuthenticationOutcome.Authenticated && _windows.TryGetValue(authentication.Peer.Network, out var window))
        {
            window.SetReply(authentication.TransactionId, reply.ToArray());
        }
    }

    /// <summary>
    /// The transaction ids a network used recently, bounded in size and time: an entry lives as long
    /// as its timestamp is fresh (after that the clock check refuses the datagram anyway) and at
    /// least <see cref="MessageAuthentication.MaxClockSkew"/> after it arrived, to answer retransmissions.
    /// </summary>
    private sealed class ReplayWindow(int capacity)
    {
        public enum Seen { New, SameSource, OtherSource }

        private readonly Lock _gate = new();
        private readonly Dictionary<TransactionId, Entry> _entries = [];
        private readonly Queue<TransactionId> _order = new();

        public Seen Check(TransactionId transactionId, IPEndPoint from, DateTimeOffset signedAt, DateTimeOffset now, bool addIfNew, out byte[]? reply)
        {
            lock (_gate)
            {
                Prune(now);
                if (_entries.TryGetValue(transactionId, out var entry))
                {
                    reply = entry.Reply;
                    return entry.From.Equals(from) ? Seen.SameSource : Seen.OtherSource;
                }

                reply = null;
                if (!addIfNew)
                {
                    return Seen.New;
                }

                _entries[transactionId] = new Entry(from, (signedAt > now ? signedAt : now) + MessageAuthentication.MaxClockSkew);
                _order.Enqueue(transactionId);
                return Seen.New;
            }
        }

        public void SetReply(TransactionId transactionId, byte[] reply)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(transactionId, out var entry))
                {
                    entry.Reply = reply;
                }
            }
        }

        private void Prune(DateTimeOffset now)
        {
            while (_order.TryPeek(out var oldest)
                && (!_entries.TryGetValue(oldest, out var entry) || entry.Until <= now || _entries.Count >= capacity))
            {
                _order.Dequeue();
                _entries.Remove(oldest);
            }
        }

        private sealed class Entry(IPEndPoint from, DateTimeOffset until)
        {
            public IPEndPoint From { get; } = from;
            public DateTimeOffset Until { get; } = until;
            public byte[]? Reply { get; set; }
        }
    }
}
