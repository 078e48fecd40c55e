using System.Net;
using Microsoft.Extensions.Options;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Events;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous;

/// <summary>
/// Turns one datagram into replies and events. Called by the receive loop (one thread) and by the
/// tick (another); one lock serializes them, and nothing under it waits on anything but memory.
/// </summary>
public sealed class RendezvousHandler
{
    private readonly RendezvousOptions _options;
    private readonly PeerRegistry _registry;
    private readonly SessionCoordinator _sessions;
    private readonly IPunchEventSink _events;
    private readonly RendezvousStats _stats;
    private readonly TimeProvider _time;
    private readonly RendezvousEndpoint _endpoint;
    private readonly IExposeControlPort _expose;
    private readonly RequestAuthenticator _authenticator;
    private readonly ISessionRelay _relay;
    private readonly BindingResponder _binding;
    private readonly AddressProof _proof;
    private readonly ILogger<RendezvousHandler> _logger;
    private readonly Lock _gate = new();

    public RendezvousHandler(
        IOptions<RendezvousOptions> options, IPunchEventSink events, RendezvousStats stats, TimeProvider time, RendezvousEndpoint endpoint,
        NetworkKeys keys, RequestAuthenticator authenticator, ISessionRelay relay, BindingResponder binding, AddressProof proof, IExposeControlPort expose,
        ILogger<RendezvousHandler> logger)
    {
        _expose = expose;
        _binding = binding;
        _proof = proof;
        _endpoint = endpoint;
        _options = options.Value;
        _registry = new PeerRegistry(_options);
        _relay = relay;
        _sessions = new SessionCoordinator(_options, _registry, events, keys, relay, stats);
        _events = events;
        _stats = stats;
        _time = time;
        _authenticator = authenticator;
        _logger = logger;
        keys.KeyChanged += ForgetNetwork;
    }

    public int PeerCount
    {
        get
        {
            lock (_gate)
            {
                return _registry.Count;
            }
        }
    }

    /// <summary>Handles one datagram; <paramref name="reply"/> is scratch space for the answer.</summary>
    public void Handle(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply, IDatagramSender sender)
    {
        if (BindingResponder.IsBindingRequest(datagram))
        {
            _binding.Answer(datagram, from, ListenerCell.Primary, reply, sender);
            return;
        }

        if (!StunMessage.TryParse(datagram, out var message))
        {
            _stats.Malformed();
            return;
        }

        if (message.HasFingerprint && !message.VerifyFingerprint())
        {
            // RFC 8489 §7.3: a bad FINGERPRINT means this is not a STUN message for us.
            _stats.Malformed();
            return;
        }

        var type = message.Type;
        if (type.Class != StunClass.Request && !(type.Method == PunchMethod.Introduction && type.Class == StunClass.SuccessResponse))
        {
            _stats.Malformed();
            return;
        }

        var authentication = _authenticator.Authenticate(datagram, type, from, _time.GetUtcNow());
        var answer = authentication.Outcome switch
        {
            AuthenticationOutcome.Retransmission => new HandlerReply(authentication.CachedReply is { } cached && cached.AsSpan().TryCopyTo(reply) ? cached.Length : 0),
            _ when authentication.Refused => new HandlerReply(Refuse(authentication, type.Method, from, reply, datagram.Length)),
            _ => Dispatch(datagram, message, from, reply, sender),
        };

        _authenticator.Remember(authentication, reply[..answer.Length]);
        if (answer.Length > 0)
        {
            sender.Send(reply[..answer.Length], from);
        }

        // After the answer: a peer always learns it is registered (its public endpoint and mapping) before it is introduced.
        if (answer.ThenIntroduce is { } ready)
        {
            lock (_gate)
            {
                _sessions.OnPeerReady(ready, _time.GetUtcNow(), sender);
            }
        }
    }

    private HandlerReply Dispatch(ReadOnlySpan<byte> datagram, StunMessage message, IPEndPoint from, Span<byte> reply, IDatagramSender sender)
    {
        var type = message.Type;
        return type.Method switch
        {
            PunchMethod.Register => Register(datagram, from, reply),
            PunchMethod.Refresh => Refresh(datagram, from, reply),
            PunchMethod.Connect => new(Connect(datagram, from, reply, sender)),
            PunchMethod.Introduction => new(Acknowledge(datagram, from)),
            PunchMethod.Report => new(Report(datagram, from, reply)),
            // Authenticated by the session's own credentials, not the registration: the relay checks them itself, under its own lock.
            PunchMethod.RelayActivate => new(_relay.Activate(datagram, from, reply, datagram.Length)),
            _ => new(Error(type.Method, message.TransactionId, PunchErrorCode.BadRequest, "Unknown method", reply, datagram.Length)),
        };
    }

    /// <summary>A keyed network's request without a valid, fresh, new signature: 401, a Rejected event, and nothing else happens.</summary>
    private int Refuse(in Authentication authentication, ushort method, IPEndPoint from, Span<byte> reply, int requestLength)
    {
        RendezvousLog.RequestRefused(_logger, authentication.Peer, from, authentication.Reason);
        PublishRejected(authentication.Peer, _time.GetUtcNow(), from, authentication.Reason);
        return Error(method, authentication.TransactionId, PunchErrorCode.Unauthenticated, authentication.ShortReason, reply, requestLength);
    }

    /// <summary>A network's key changed: its registrations were made under the old rules, so every peer must register again and prove the new key.</summary>
    private void ForgetNetwork(string network)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (var peer in _registry.RemoveNetwork(network))
            {
                PublishGone(PunchEventKind.Unregistered, peer.Identity, now, peer.PublicEndPoint, "the network's key changed: register again with the new key");
            }
        }
    }

    public void Tick(IDatagramSender sender)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (var peer in _registry.RemoveExpired(now))
            {
                RendezvousLog.PeerExpired(_logger, peer.Identity);
                PublishGone(PunchEventKind.Expired, peer.Identity, now, null, $"no refresh for {_options.PeerLifetime.TotalSeconds:0} s");
            }

            _sessions.Tick(now, sender);
        }

        _relay.Tick(sender);
    }

    /// <summary>
    /// At a graceful shutdown: tells every live peer the server is going, so it warns its user and
    /// registers again once the server is back, instead of learning it from a refresh that goes unanswered.
    /// </summary>
    public int SayGoodbye(IDatagramSender sender)
    {
        var datagram = new byte[StunConstants.MaxMessageLength];
        int told = 0;
        lock (_gate)
        {
            foreach (var peer in _registry.Live(_time.GetUtcNow()))
            {
                int length = new GoodbyeIndication(TransactionId.NewRandom(), "server is shutting down").WriteTo(datagram);
                sender.Send(datagram.AsSpan(0, length), peer.PublicEndPoint);
                told++;
            }
        }

        return told;
    }

    private HandlerReply Register(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply)
    {
        if (!RegisterRequest.TryRead(datagram, out var request))
        {
            return BadRequest(datagram, PunchMethod.Register, "Register needs a valid PEER-NAME (A-Z, a-z, 0-9, '.', '_', '-'; 1-64), an optional NETWORK and at most 16 host CANDIDATEs (2 of them may be mapped)", reply);
        }

        var now = _time.GetUtcNow();
        bool readyAfterReply = false;
        lock (_gate)
        {
            // Return routability: a registration makes the server send to its address (answers, introductions,
            // relayed data), so it is taken only from a source that showed it receives: the live registration's own
            // endpoint renewing itself (a dictionary lookup, checked first), or one that echoes a cookie minted for it (an HMAC).
            if (_registry.FindLive(request.Peer, from, now) is null && !_proof.Verify(request.Cookie, from))
            {
                return Challenge(PunchMethod.Register, request.TransactionId, from, reply, datagram.Length);
            }

            // Only of the other family: the server sees the registration's own family itself, and a claim there would compete with it.
            var reflexive = request.OtherFamilyReflexive is { } claimed && claimed.AddressFamily != from.AddressFamily ? claimed : null;
            switch (_registry.Register(request.Peer, from, request.HostCandidates, request.Mapped, request.Mapping, request.Nat, now, out var peer, reflexive))
            {
                case RegisterOutcome.NameTaken:
                    // The holder's endpoint goes to the dashboard's event, never to the requester: it has proven no membership of the network.
                    string reason = $"name taken by a live peer; free in {(peer.ExpiresAt - now).TotalSeconds:0} s";
                    PublishRejected(request.Peer, now, from, $"{reason} (held from {peer.PublicEndPoint})");
                    return Error(PunchMethod.Register, request.TransactionId, PunchErrorCode.NameTaken, reason, reply, datagram.Length);
                case RegisterOutcome.Full:
                    return Refuse(LimitKind.Peers, PunchMethod.Register, request.TransactionId, reply, datagram.Length);
                case RegisterOutcome.NetworkFull:
                    return Refuse(LimitKind.PeersPerNetwork, PunchMethod.Register, request.TransactionId, reply, datagram.Length);
                case RegisterOutcome.AddressFull:
                    return Refuse(LimitKind.PeersPerAddress, PunchMethod.Register, request.TransactionId, reply, datagram.Length);
                case RegisterOutcome.Registered:
                    RendezvousLog.PeerRegistered(_logger, request.Peer, from);
                    _stats.Registered(request.Peer.Network);
                    _events.TryPublish(new PeerRegistered
                    {
                        At = now,
                        Network = request.Peer.Network,
                        Peer = request.Peer.Name,
                        PublicEndpoint = from.ToString(),
                        Candidates = [.. request.HostCandidates.Select(c => $"host {c}"), .. request.Mapped.Select(c => $"mapped {c}"), .. (reflexive is null ? [] : new[] { $"srflx {reflexive}" })],
                        Nat = NatText(request.Mapping, request.Nat),
                    });
                    readyAfterReply = true;
                    break;
                case RegisterOutcome.Renewed:
                    PublishRefreshed(request.Peer, now, from, request.Mapping, request.Nat);
                    break;
            }
        }

        ushort? probePort = _endpoint.ProbeEndPoint is { } probe ? (ushort)probe.Port : null;
        // Only after the address proof (the branch above challenged an unproven source): the control port adds 8 bytes to an answer the amplification budget no longer bounds.
        int length = new RegistrationResponse(PunchMethod.Register, request.TransactionId, from, _options.PeerLifetime, probePort, _expose.AnnouncedControlPort,
            _endpoint.OtherFamilyThan(from)).WriteTo(reply);
        return new(length, readyAfterReply ? request.Peer : null);
    }

    private HandlerReply Refresh(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply)
    {
        if (!RefreshRequest.TryRead(datagram, out var request))
        {
            return BadRequest(datagram, PunchMethod.Refresh, "Refresh needs a valid PEER-NAME and NETWORK", reply);
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            switch (_registry.Refresh(request.Peer, from, request.Lifetime, request.Mapping, request.Nat, now, out _))
            {
                case RefreshOutcome.NotRegistered:
                    return Error(PunchMethod.Refresh, request.TransactionId, PunchErrorCode.NotRegistered, $"not registered (expired or server restarted)", reply, datagram.Length);
                case RefreshOutcome.AddressMismatch:
                    return Error(PunchMethod.Refresh, request.TransactionId, PunchErrorCode.AddressMismatch, $"registered from another address", reply, datagram.Length);
                case RefreshOutcome.Unregistered:
                    PublishGone(PunchEventKind.Unregistered, request.Peer, now, from, "the peer said goodbye");
                    return new RegistrationResponse(PunchMethod.Refresh, request.TransactionId, from, TimeSpan.Zero).WriteTo(reply);
                case RefreshOutcome.RefreshedQuietly:
                    break;
                default:
                    PublishRefreshed(request.Peer, now, from, request.Mapping, request.Nat);
                    break;
            }
        }

        int length = new RegistrationResponse(PunchMethod.Refresh, request.TransactionId, from, _options.PeerLifetime).WriteTo(reply);
        // A reported mapping may make sessions waiting for it introducible.
        return new(length, request.Mapping != NatMapping.Unknown || !request.Nat.IsEmpty ? request.Peer : null);
    }

    private int Connect(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply, IDatagramSender sender)
    {
        if (!ConnectRequest.TryRead(datagram, out var request))
        {
            return BadRequest(datagram, PunchMethod.Connect, "Connect needs a valid PEER-NAME, NETWORK and TARGET-PEER", reply);
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_registry.FindLive(request.Peer, from, now) is not { } requester)
            {
                return Error(PunchMethod.Connect, request.TransactionId, PunchErrorCode.NotRegistered, "not registered from this address", reply, datagram.Length);
            }

            if (request.TargetPeer == request.Peer.Name)
            {
                PublishRejected(request.Peer, now, from, "a peer cannot connect to itself");
                return Error(PunchMethod.Connect, request.TransactionId, PunchErrorCode.BadRequest, "a peer cannot connect to itself: --peer must name another peer", reply, datagram.Length);
            }

            if (!_sessions.TryConnect(requester, request.TargetPeer, now, sender, out var session, out var status, out var refusedBy))
            {
                return Refuse(refusedBy, PunchMethod.Connect, request.TransactionId, reply, datagram.Length);
            }

            return new ConnectResponse(request.TransactionId, session.Id, status).WriteTo(reply);
        }
    }

    private int Acknowledge(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        if (!IntroductionAck.TryRead(datagram, out var ack))
        {
            _stats.Malformed();
            return 0;
        }

        lock (_gate)
        {
            _sessions.OnIntroductionAck(ack, from, _time.GetUtcNow());
        }

        return 0;
    }

    private int Report(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply)
    {
        if (!ReportRequest.TryRead(datagram, out var report))
        {
            return BadRequest(datagram, PunchMethod.Report, "Report needs PEER-NAME, NETWORK, SESSION-ID and OUTCOME", reply);
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            // A peer may report after its registration lapsed (it no longer needs the server), but only about its own session.
            if (!_sessions.OnReport(report, now))
            {
                return Error(PunchMethod.Report, report.TransactionId, PunchErrorCode.NotRegistered, "unknown session", reply, datagram.Length);
            }
        }

        return new SuccessResponse(PunchMethod.Report, report.TransactionId).WriteTo(reply);
    }

    private int BadRequest(ReadOnlySpan<byte> datagram, ushort method, string reason, Span<byte> reply)
    {
        _stats.Malformed();
        var transactionId = TransactionId.Read(datagram.Slice(8, StunConstants.TransactionIdLength));
        return Error(method, transactionId, PunchErrorCode.BadRequest, reason, reply, datagram.Length);
    }

    /// <summary>A cap said no: counted (dashboard "Limits") and answered with its own code and a short reason.</summary>
    private int Refuse(LimitKind limit, ushort method, TransactionId transactionId, Span<byte> reply, int requestLength)
    {
        _stats.Refused(limit);
        return Error(method, transactionId, limit.ErrorCode(), limit.Reason(), reply, requestLength);
    }

    /// <summary>A challenge within the same bound as any error reply: at most 3x the request.</summary>
    private int Challenge(ushort method, TransactionId transactionId, IPEndPoint from, Span<byte> reply, int requestLength) =>
        ReplyBudget.Challenge(_proof, _stats, method, transactionId, from, reply, ReplyBudget.ForError(requestLength));

    private static int Error(ushort method, TransactionId transactionId, int code, string reason, Span<byte> reply, int requestLength) =>
        ReplyBudget.Error(method, transactionId, code, reason, reply, requestLength);

    private void PublishRejected(PeerIdentity peer, DateTimeOffset now, IPEndPoint from, string reason) =>
        _events.TryPublish(new RequestRejected { At = now, Network = peer.Network, Peer = peer.Name, PublicEndpoint = from.ToString(), Reason = reason });

    private void PublishGone(PunchEventKind kind, PeerIdentity peer, DateTimeOffset now, IPEndPoint? from, string reason) =>
        _events.TryPublish(new PeerGone(kind) { At = now, Network = peer.Network, Peer = peer.Name, PublicEndpoint = from?.ToString(), Reason = reason });

    private void PublishRefreshed(PeerIdentity peer, DateTimeOffset now, IPEndPoint from, NatMapping mapping, NatReport nat) =>
        _events.TryPublish(new PeerRefreshed { At = now, Network = peer.Network, Peer = peer.Name, PublicEndpoint = from.ToString(), Nat = NatText(mapping, nat) });

    private static NatReportText NatText(NatMapping mapping, NatReport nat) => new()
    {
        Mapping = MappingText(mapping),
        Filtering = FilteringText(nat.Filtering),
        Hairpinning = nat.Hairpinning,
        PortPreserved = nat.PortPreserved,
    };

    /// <summary>How events and the dashboard name a filtering behaviour (RFC 4787 §5 words); null when unknown.</summary>
    public static string? FilteringText(NatBehaviour filtering) => filtering == NatBehaviour.Unknown ? null : filtering.Text();

    /// <summary>How events and the dashboard name a mapping; null when unknown.</summary>
    public static string? MappingText(NatMapping mapping) => mapping switch
    {
        NatMapping.EndpointIndependent => "endpoint-independent",
        NatMapping.EndpointDependent => "endpoint-dependent",
        _ => null,
    };
}
