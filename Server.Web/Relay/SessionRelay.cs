using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Events;
using Punch.Server.Rendezvous;
using Punch.Server.Udp;

namespace Punch.Server.Relay;

/// <summary>
/// The relay's control plane: allocates a channel when a session is introduced, binds each side's
/// endpoint on an authenticated RelayActivate, releases forwarding once a direct path is up (after a
/// grace) or when idle, and frees the channel when the session ends. The data plane is
/// <see cref="RelayForwarder"/>, which reads the same table without this lock. Thread-safe.
/// </summary>
public sealed class SessionRelay : ISessionRelay
{
    private readonly RelayOptions _options;
    private readonly int _maxAllocations;
    private readonly int _maxAllocationsPerAddress;
    private readonly AddressProof _proof;
    private readonly IPunchEventSink _events;
    private readonly RendezvousStats _rendezvousStats;
    private readonly TimeProvider _time;
    private readonly RendezvousEndpoint _endpoint;
    private readonly ILogger<SessionRelay> _logger;
    private readonly Lock _gate = new();

    public SessionRelay(
        IOptions<RelayOptions> options, IOptions<RendezvousOptions> rendezvous, IPunchEventSink events, RendezvousStats rendezvousStats,
        TimeProvider time, RendezvousEndpoint endpoint, AddressProof proof, ILogger<SessionRelay> logger)
    {
        _options = options.Value;
        _maxAllocations = rendezvous.Value.MaxRelayAllocations;
        _maxAllocationsPerAddress = rendezvous.Value.MaxRelayAllocationsPerAddress;
        _proof = proof;
        _events = events;
        _rendezvousStats = rendezvousStats;
        _time = time;
        _endpoint = endpoint;
        _logger = logger;
    }

    public RelayChannelTable Table { get; } = new();

    public RelayOptions Options => _options;

    public TimeProvider Time => _time;

    /// <summary>
    /// The session's channel, allocating one the first time (a re-introduction keeps it). Null when the
    /// relay is off or at <see cref="RendezvousOptions.MaxRelayAllocations"/>: the session is direct only.
    /// </summary>
    public ushort? Allocate(RendezvousSession session, IPEndPoint requesterEndPoint, IPEndPoint targetEndPoint, DateTimeOffset now)
    {
        if (!_options.Enabled)
        {
            return null;
        }

        lock (_gate)
        {
            if (Table.BySession(session.Id) is { } existing)
            {
                return existing.Channel;
            }

            if (Table.Count >= _maxAllocations || !Table.TryFindFreeChannel(out ushort channel))
            {
                return RefuseAllocation(session, LimitKind.RelayAllocations, _maxAllocations, now,
                    $"relay at its limit of {_maxAllocations} allocations (Rendezvous:MaxRelayAllocations): this session is direct only");
            }

            // One address's share, so a host that opens sessions it never uses cannot take the relay from everyone else.
            if (Table.All.Count(a => a.RequesterAddress.Equals(session.RequesterAddress)) >= _maxAllocationsPerAddress)
            {
                return RefuseAllocation(session, LimitKind.RelayAllocationsPerAddress, _maxAllocationsPerAddress, now,
                    $"{session.RequesterAddress} holds {_maxAllocationsPerAddress} relay allocations (Rendezvous:MaxRelayAllocationsPerAddress): this session is direct only");
            }

            var allocation = new RelayAllocation(channel, session.Id, session.Network, SideOf(session.Requester), SideOf(session.Target), now, _options.BurstBytes, _time.GetTimestamp())
            {
                RequesterAddress = session.RequesterAddress,
            };
            var family = _endpoint.LocalEndPoint?.AddressFamily ?? AddressFamily.InterNetwork;
            allocation.Requester.Presume(requesterEndPoint, family);
            allocation.Target.Presume(targetEndPoint, family);
            Table.Add(allocation);
            RelayLog.Allocated(_logger, channel, session.Id);
            Publish(PunchEventKind.RelayAllocated, allocation, allocation.Requester, now);
            return channel;
        }
    }

    private ushort? RefuseAllocation(RendezvousSession session, LimitKind limit, int max, DateTimeOffset now, string reason)
    {
        _rendezvousStats.Refused(limit);
        RelayLog.AllocationRefused(_logger, max, session.Id);
        Publish(PunchEventKind.RelayLimit, session.Id, session.Network, session.Requester.Identity.Name, session.Target.Identity.Name, now, reason);
        return null;
    }

    private static RelaySide SideOf(SessionSide side) =>
        new(side.Identity.Name, side.Credentials.UsernameFragment, ConnectivityCheck.PasswordKey(side.Credentials.Password));

    /// <summary>
    /// Answers a RelayActivate (RFC 8656 §7.2 in spirit, with the session's short-term credential
    /// instead of TURN's long-term one): binds the sender's side to the request's source address.
    /// Returns the length of the reply written to <paramref name="reply"/>.
    /// </summary>
    public int Activate(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply, int requestLength)
    {
        if (!RelayActivateRequest.TryRead(datagram, out var request))
        {
            _rendezvousStats.Malformed();
            var transactionId = TransactionId.Read(datagram.Slice(8, StunConstants.TransactionIdLength));
            return Refuse(transactionId, PunchErrorCode.BadRequest, "RelayActivate needs SESSION-ID, USERNAME and MESSAGE-INTEGRITY", reply, requestLength);
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (Table.BySession(request.SessionId) is not { } allocation)
            {
                RelayLog.ActivationRefused(_logger, request.SessionId, from, "unknown session");
                return Refuse(request.TransactionId, PunchErrorCode.NotRegistered, "unknown session or no relay for it", reply, requestLength);
            }

            // RFC 8489 §9.1.3: an unknown username and a wrong integrity both answer 401, and nothing changes.
            if (allocation.SideOf(request.UsernameFragment) is not { } side || !RelayActivateRequest.Verify(datagram, side.PasswordKey))
            {
                RelayLog.ActivationRefused(_logger, request.SessionId, from, "bad credentials");
                return Refuse(request.TransactionId, PunchErrorCode.Unauthenticated, "bad session credentials", reply, requestLength);
            }

            // Return routability: the relay sends a bound side everything the other side sends, so a side binds only to
            // the endpoint the server introduced (its proven registration) or to a source that echoes a cookie minted
            // for it. A spoofed activation gets a challenge no larger than itself, and nothing is bound.
            if (!from.Equals(side.EndPoint) && !_proof.Verify(request.Cookie, from))
            {
                RelayLog.ActivationRefused(_logger, request.SessionId, from, "source not proven: challenged");
                return ReplyBudget.Challenge(_proof, _rendezvousStats, PunchMethod.RelayActivate, request.TransactionId, from, reply, maxLength: requestLength);
            }

            if (allocation.State == RelayState.Exhausted)
            {
                _rendezvousStats.Refused(LimitKind.RelayTotalBytes);
                return Refuse(request.TransactionId, PunchErrorCode.AllocationQuotaReached, allocation.StopReason ?? "relay limit reached", reply, requestLength);
            }

            bool rebound = side.EndPoint is { } previous && !previous.Equals(from);
            bool resumed = allocation.State != RelayState.Forwarding || rebound || !side.IsActive;
            side.Bind(from, _endpoint.LocalEndPoint?.AddressFamily ?? AddressFamily.InterNetwork, now);
            Volatile.Write(ref allocation.LastActivity, _time.GetTimestamp());
            allocation.ReleaseAt = null;
            allocation.State = RelayState.Forwarding;
            if (resumed)
            {
                // A retransmitted activation from the same address changes nothing worth an event.
                RelayLog.Activated(_logger, allocation.Channel, side.Peer, from);
                Publish(PunchEventKind.RelayActivated, allocation, side, now, from);
            }

            return new RelayActivateResponse(request.TransactionId, request.SessionId, allocation.Channel, from, _options.IdleTimeout).WriteTo(reply);
        }
    }

    /// <summary>
    /// A peer reports the path it now uses. Direct: forwarding stops after <see cref="RelayOptions.DirectGrace"/>
    /// (frames already on their way through the relay still arrive); the channel stays the session's, so a
    /// fallback only needs another activation. Relayed: a pending release is cancelled.
    /// </summary>
    public void OnPathUp(SessionId sessionId, PathKind? path, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Table.BySession(sessionId) is not { State: RelayState.Forwarding } allocation)
            {
                return;
            }

            allocation.ReleaseAt = path switch
            {
                PathKind.Direct => allocation.ReleaseAt ?? now + _options.DirectGrace,
                PathKind.Relayed => null,
                _ => allocation.ReleaseAt,
            };
        }
    }

    /// <summary>Whether the session's relay forwards: a relayed session is in use even when no report arrives for a long time.</summary>
    public bool IsForwarding(SessionId sessionId)
    {
        lock (_gate)
        {
            return Table.BySession(sessionId) is { State: RelayState.Forwarding };
        }
    }

    /// <summary>The session ended: its channel is free for another.</summary>
    public void Free(SessionId sessionId, DateTimeOffset now, string reason)
    {
        lock (_gate)
        {
            if (Table.BySession(sessionId) is not { } allocation)
            {
                return;
            }

            Table.Remove(allocation);
            if (allocation.State == RelayState.Forwarding)
            {
                allocation.State = RelayState.Reserved;
                Publish(PunchEventKind.RelayReleased, allocation, allocation.Requester, now, reason: $"channel freed: {reason}");
            }
        }
    }

    /// <summary>Releases forwarding whose direct-path grace is over, and idle forwarding (telling both sides why).</summary>
    public void Tick(IDatagramSender sender)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (var allocation in Table.All)
            {
                if (allocation.State != RelayState.Forwarding)
                {
                    continue;
                }

                if (allocation.ReleaseAt is { } due && due <= now)
                {
                    Stop(allocation, RelayState.Reserved, $"direct path up: forwarding released after a {_options.DirectGrace.TotalSeconds:0.#} s grace", now, sender: null);
                }
                else if (_time.GetElapsedTime(Volatile.Read(ref allocation.LastActivity)) >= _options.IdleTimeout)
                {
                    _rendezvousStats.Refused(LimitKind.RelayIdle);
                    Stop(allocation, RelayState.Reserved, $"relay idle for {_options.IdleTimeout.TotalSeconds:0.#} s: activate again to resume", now, sender, PunchEventKind.RelayReleased);
                }
            }
        }
    }

    /// <summary>The forwarder found a limit exceeded: stop, tell both sides, count and record it.</summary>
    public void StopForLimit(RelayAllocation allocation, LimitKind limit, string reason, IDatagramSender sender)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (allocation.State != RelayState.Forwarding)
            {
                return;
            }

            _rendezvousStats.Refused(limit);
            Stop(allocation, limit == LimitKind.RelayTotalBytes ? RelayState.Exhausted : RelayState.Reserved, reason, now, sender, PunchEventKind.RelayLimit);
        }
    }

    /// <summary>What the relay page and <c>GET /api/relay</c> show.</summary>
    public IReadOnlyList<RelayAllocationView> Snapshot()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return [.. Table.All.OrderBy(a => a.CreatedAt).Select(a => RelayAllocationView.From(a, now, _time.GetElapsedTime(Volatile.Read(ref a.LastActivity))))];
        }
    }

    /// <summary>Under the lock. With a <paramref name="sender"/>, both bound sides get a RelayClosed indication saying why (RFC 8489 §6.3.2: not answered).</summary>
    private void Stop(RelayAllocation allocation, RelayState state, string reason, DateTimeOffset now, IDatagramSender? sender, PunchEventKind kind = PunchEventKind.RelayReleased)
    {
        allocation.State = state;
        allocation.ReleaseAt = null;
        allocation.StopReason = reason;
        RelayLog.Stopped(_logger, allocation.Channel, reason);
        Publish(kind, allocation, allocation.Requester, now, reason: reason);
        if (sender is null)
        {
            return;
        }

        var datagram = new byte[StunConstants.MaxMessageLength];
        int length = new RelayClosedIndication(TransactionId.NewRandom(), allocation.SessionId, reason).WriteTo(datagram);
        foreach (var side in new[] { allocation.Requester, allocation.Target })
        {
            if (side.EndPoint is { } to)
            {
                sender.Send(datagram.AsSpan(0, length), to);
            }
        }
    }

    /// <summary>Refusals of an activation are no larger than the activation (or the 36-byte smallest error, 1.8x the smallest request): its source may be forged.</summary>
    private static int Refuse(TransactionId transactionId, int code, string reason, Span<byte> reply, int requestLength) =>
        ReplyBudget.ErrorWithin(PunchMethod.RelayActivate, transactionId, code, reason, reply, requestLength);

    private void Publish(PunchEventKind kind, RelayAllocation allocation, RelaySide about, DateTimeOffset now, IPEndPoint? from = null, string? reason = null) =>
        _events.TryPublish(new RelayEvent(kind)
        {
            At = now,
            Network = allocation.Network,
            Peer = about.Peer,
            OtherPeer = allocation.OtherSide(about).Peer,
            SessionId = allocation.SessionId.ToString(),
            PublicEndpoint = from?.ToString(),
            RelayChannel = allocation.Channel,
            RelayBytes = allocation.BytesForwarded,
            Reason = reason,
        });

    private void Publish(PunchEventKind kind, SessionId sessionId, string network, string peer, string otherPeer, DateTimeOffset now, string reason) =>
        _events.TryPublish(new RelayEvent(kind) { At = now, Network = network, Peer = peer, OtherPeer = otherPeer, SessionId = sessionId.ToString(), Reason = reason });
}
