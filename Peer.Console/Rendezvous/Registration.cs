using System.Collections.Immutable;
using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Hosting;
using Punch.Peer.Output;

namespace Punch.Peer.Rendezvous;

/// <summary>
/// Keeps this peer registered: registers, refreshes every lifetime/3, registers again when the
/// server has forgotten it (404 after a restart or expiry), and unregisters with LIFETIME 0.
/// When the server announces a probe port, measures the NAT mapping (<see cref="MappingProbe"/>)
/// before the registration counts as done, tells the server at once with a Refresh, and sends the
/// mapping with every later Register and Refresh: the server hands it to the peers we meet.
/// The rest of the NAT's behaviour (filtering, hairpinning, port preservation: <see cref="RegistrationDiscovery"/>)
/// is discovered in parallel on other sockets; the registration waits for it at most
/// <see cref="RegistrationDiscovery.Wait"/>, and what comes later goes to the server in a Refresh at once.
/// Once the first registration succeeded, server trouble is only a warning: established paths do
/// not need the server. When the server says goodbye (a graceful shutdown) the peer registers again
/// with backoff until the server is back, a bounded number of times; sessions are not touched.
/// Not thread-safe: the host calls it under its lock.
/// </summary>
internal sealed class Registration(
    RendezvousClient client, PeerIdentity identity, ImmutableArray<IPEndPoint> hostCandidates, TimeProvider time, IPeerEventSink events)
{
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryAfterTrouble = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a goodbye: the first try soon (a restart takes a second or two), then doubling, so a
    /// server that is gone for good is not hammered. Each try itself retransmits for about 10 s
    /// (<see cref="RendezvousClient"/>), so the tries span about two minutes before the peer gives up.
    /// </summary>
    private static readonly TimeSpan FirstRejoinDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRejoinDelay = TimeSpan.FromSeconds(16);
    public const int MaxRejoinAttempts = 8;

    private TaskCompletionSource<RegistrationResult>? _firstRegistration;
    private TimeSpan _refreshInterval = TimeSpan.FromSeconds(20);
    private long? _nextRefresh;
    private bool _requestInFlight;
    private bool _warned;
    private bool _unregistered;
    private ushort? _probedPort;
    /// <summary>The server's other-family endpoint we sent a Binding to (once per endpoint: our NAT66 does not change when the server forgets us).</summary>
    private IPEndPoint? _probedOtherFamily;

    /// <summary>Discovery and the port mapping, while they run: how long a registration may wait for them.</summary>
    private readonly RegistrationWaits _waits = new(time);
    /// <summary>Ports our router mapped for us: sent as mapped candidates with every Register.</summary>
    private ImmutableArray<IPEndPoint> _mappedCandidates = [];
    /// <summary>The mapped candidates changed after the registration: the next timer sends a Register (a renewal) carrying them.</summary>
    private bool _candidatesUnsent;
    /// <summary>A registration whose mapping is settled, waiting for discovery and the port mapping (up to <see cref="_waits"/>).</summary>
    private RegistrationResponse? _awaitingDiscovery;
    /// <summary>We know something of our NAT the server has not been told yet: the next Register or Refresh carries it.</summary>
    private bool _reportUnsent;
    /// <summary>Discovery's event, held until the first <see cref="RegisteredEvent"/> so that one stays the first line of the output.</summary>
    private NatDiscoveredEvent? _discoveredBeforeRegistered;
    private bool _announced;

    /// <summary>Register attempts made since the server said goodbye; null when it has not (or we are back).</summary>
    private int? _rejoinAttempts;

    public PeerIdentity Identity => identity;
    public IPEndPoint? PublicEndPoint { get; private set; }

    /// <summary>Our public endpoint in the other family, as the server's other-family endpoint saw it; sent as a candidate with every Register.</summary>
    public IPEndPoint? OtherFamilyPublicEndPoint { get; private set; }

    /// <summary>Our NAT's mapping behaviour as measured; <see cref="NatMapping.Unknown"/> until (or unless) the probe answered.</summary>
    public NatMapping Mapping { get; private set; } = NatMapping.Unknown;

    /// <summary>Filtering, hairpinning and port preservation as discovered; all unknown until (or unless) discovery settled them.</summary>
    public NatReport Nat { get; private set; }

    /// <summary>Discovery has started: a registration waits for it at most <paramref name="wait"/> from now.</summary>
    public void ExpectNatDiscovery(TimeSpan wait) => _waits.ExpectDiscovery(wait);

    /// <summary>Our router holds a port mapping for us: sessions count our side as open (<see cref="Core.Punching.PortMappedNat"/>).</summary>
    public bool HasPortMapping => _mappedCandidates.Length > 0;

    /// <summary>The router is being asked for a port mapping: a registration waits for the answer at most <paramref name="wait"/> from now.</summary>
    public void ExpectPortMapping(TimeSpan wait) => _waits.ExpectPortMapping(wait);

    /// <summary>
    /// The router granted, moved or lost our mapping (<paramref name="mapped"/> empty: none). Before the registration is done
    /// the first Register carries it; after, a Register (a renewal from the same endpoint) tells the server at once.
    /// </summary>
    public void OnPortMapped(ImmutableArray<IPEndPoint> mapped)
    {
        bool wasPending = _waits.PortMappingDone();
        if (!mapped.SequenceEqual(_mappedCandidates))
        {
            _mappedCandidates = mapped;
            // Even before our first Register is answered: the one in flight was written without the mapping.
            _candidatesUnsent = true;
        }

        if (wasPending && _awaitingDiscovery is { } waiting && !StillWaiting)
        {
            _awaitingDiscovery = null;
            Complete(waiting);
        }
    }

    private bool StillWaiting => _waits.StillWaiting;

    /// <summary>Discovery is over: keep what it found, finish a registration that waited for it, or tell the server in a Refresh now.</summary>
    public void OnNatDiscovered(NatReport report, IReadOnlyList<string> notes)
    {
        _waits.DiscoveryDone();
        Nat = report;
        _reportUnsent |= !report.IsEmpty;
        var discovered = new NatDiscoveredEvent(report, notes);
        if (_announced)
        {
            events.Emit(discovered);
        }
        else
        {
            _discoveredBeforeRegistered = discovered;
        }

        if (_awaitingDiscovery is { } waiting && !StillWaiting)
        {
            _awaitingDiscovery = null;
            Complete(waiting);
        }
    }

    public Task<RegistrationResult> RegisterAsync()
    {
        _firstRegistration ??= new TaskCompletionSource<RegistrationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        SendRegister();
        return _firstRegistration.Task;
    }

    /// <summary>Sends Refresh with LIFETIME 0; completes on any answer or when the server does not answer (3 tries).</summary>
    public Task UnregisterAsync()
    {
        _unregistered = true;
        _nextRefresh = null;
        if (PublicEndPoint is null)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new RefreshRequest(TransactionId.NewRandom(), identity, TimeSpan.Zero);
        client.Send(client.Encode(request.WriteTo), (_, _) => done.TrySetResult(), attempts: 3);
        return done.Task;
    }

    public void OnTimer()
    {
        if (_awaitingDiscovery is { } waiting && !StillWaiting)
        {
            _awaitingDiscovery = null;
            Complete(waiting);
        }

        if ((_nextRefresh is { } due && time.HasPassed(due) || ReportDue) && !_requestInFlight && !_unregistered)
        {
            _nextRefresh = null;
            if (_candidatesUnsent && _rejoinAttempts is null)
            {
                SendRegister(); // A Register, not a Refresh: only a Register carries candidates.
            }
            else if (_rejoinAttempts is { } attempts)
            {
                _rejoinAttempts = attempts + 1;
                SendRegister();
            }
            else
            {
                SendRefresh();
            }
        }
    }

    /// <summary>The server is shutting down: warn, then register again (with backoff) until it is back.</summary>
    public void OnServerGoodbye(string? reason)
    {
        if (_unregistered || PublicEndPoint is null || _rejoinAttempts is not null)
        {
            return; // Not registered (yet), leaving anyway, or already waiting for the server to come back.
        }

        _rejoinAttempts = 0;
        _warned = true; // The goodbye warning stands for the no-answer warnings that follow.
        events.Emit(new WarningEvent($"server {client.Server} is shutting down ({reason ?? "no reason given"}); established paths keep working; "
            + $"registering again once it is back (up to {MaxRejoinAttempts} tries)"));
        _nextRefresh = time.After(FirstRejoinDelay);
    }

    public TimeSpan? NextDue() => _requestInFlight ? null
        : ReportDue ? TimeSpan.Zero
        : Deadline.Earliest(_nextRefresh is { } due ? time.Until(due) : null, _awaitingDiscovery is not null ? _waits.Until() : null);

    /// <summary>A discovery result (or a new port mapping) arrived after the registration was done: the server gets it now rather than at the next refresh.</summary>
    private bool ReportDue => (_reportUnsent || _candidatesUnsent) && PublicEndPoint is not null && _awaitingDiscovery is null && _rejoinAttempts is null && !_unregistered;

    private void SendRegister()
    {
        _requestInFlight = true;
        var request = new RegisterRequest(TransactionId.NewRandom(), identity, hostCandidates, Mapping, Nat, MappedCandidates: _mappedCandidates, OtherFamilyReflexive: OtherFamilyPublicEndPoint);
        _reportUnsent = false;
        _candidatesUnsent = false;
        client.Send(client.Encode(request.WriteTo), OnRegisterReply,
            withCookie: cookie => client.Encode((request with { TransactionId = TransactionId.NewRandom(), Cookie = cookie }).WriteTo));
    }

    /// <summary>Refreshes with our mapping; <paramref name="afterReply"/> runs once the server answered (or never did).</summary>
    private void SendRefresh(Action? afterReply = null)
    {
        _requestInFlight = true;
        var request = new RefreshRequest(TransactionId.NewRandom(), identity, null, Mapping, Nat);
        _reportUnsent = false;
        client.Send(client.Encode(request.WriteTo), (kind, datagram) =>
        {
            OnRefreshReply(kind, datagram);
            afterReply?.Invoke();
        });
    }

    private void OnRegisterReply(ReplyKind kind, ReadOnlySpan<byte> datagram)
    {
        _requestInFlight = false;
        if (kind == ReplyKind.Success && RegistrationResponse.TryRead(datagram, out var response))
        {
            OnRegistered(response);
            ProbeOtherFamily(response);
            // Measured once per probe port: the mapping is the NAT's, it does not change when the server forgets us.
            if (Mapping == NatMapping.Unknown && response.ProbePort is { } probePort && probePort != _probedPort)
            {
                _probedPort = probePort;
                MeasureMapping(response, new IPEndPoint(client.Server.Address, probePort));
            }
            else
            {
                Complete(response);
            }

            return;
        }

        string reason = kind switch
        {
            ReplyKind.NoAnswer => $"server {client.Server} did not answer",
            ReplyKind.Error when ErrorResponse.TryRead(datagram, out var error) => DescribeRegisterError(client, identity, error, PublicEndPoint),
            _ => $"server {client.Server} sent an answer this peer cannot read",
        };

        if (_firstRegistration is { Task.IsCompleted: false })
        {
            _firstRegistration.TrySetResult(new RegistrationResult(false, null, reason));
            return;
        }

        if (_rejoinAttempts is { } attempts)
        {
            ScheduleRejoin(attempts, reason);
            return;
        }

        Warn($"registering again failed: {reason}; retrying in {RetryAfterTrouble.TotalSeconds:0} s");
        _nextRefresh = time.After(RetryAfterTrouble);
    }

    private void ScheduleRejoin(int attemptsSoFar, string reason)
    {
        if (attemptsSoFar >= MaxRejoinAttempts)
        {
            _rejoinAttempts = null;
            _nextRefresh = null;
            events.Emit(new WarningEvent($"gave up registering again after {attemptsSoFar} tries ({reason}); established paths keep working, new ones need a restart of this peer"));
            return;
        }

        long doubled = FirstRejoinDelay.Ticks << Math.Min(attemptsSoFar, 16);
        _nextRefresh = time.After(TimeSpan.FromTicks(Math.Min(doubled, MaxRejoinDelay.Ticks)));
    }

    private void OnRefreshReply(ReplyKind kind, ReadOnlySpan<byte> datagram)
    {
        _requestInFlight = false;
        if (_unregistered)
        {
            return;
        }

        if (kind == ReplyKind.Success && RegistrationResponse.TryRead(datagram, out var response))
        {
            OnRegistered(response);
            return;
        }

        if (kind == ReplyKind.Error && ErrorResponse.TryRead(datagram, out var error) && error.Code == PunchErrorCode.NotRegistered)
        {
            events.Emit(new WarningEvent($"the server no longer knows {identity} (it restarted or the registration expired); registering again"));
            SendRegister();
            return;
        }

        if (_rejoinAttempts is { } attempts)
        {
            // A refresh that was on its way when the server said goodbye: go on with the rejoin schedule.
            ScheduleRejoin(attempts, $"server {client.Server} did not answer");
            return;
        }

        Warn(kind switch
        {
            ReplyKind.NoAnswer => $"server {client.Server} stopped answering refreshes; established paths keep working without it",
            ReplyKind.Error when ErrorResponse.TryRead(datagram, out var refusal) && refusal.Code == PunchErrorCode.Unauthenticated
                => $"{KeyRefusal(client, identity.Network, refusal)}; established paths keep working without it",
            _ => $"server {client.Server} refused a refresh; established paths keep working without it",
        });
        _nextRefresh = time.After(RetryAfterTrouble);
    }

    /// <summary>
    /// The server announced its other-family endpoint: learn our public endpoint there in parallel (the registration waits
    /// for it at most <see cref="RegistrationDiscovery.Wait"/>); a new one goes to the server with a Register.
    /// </summary>
    private void ProbeOtherFamily(RegistrationResponse response)
    {
        if (response.OtherFamilyEndPoint is not { } other || other.Equals(_probedOtherFamily) || !OtherFamilyProbe.CanReach(other, hostCandidates))
        {
            return;
        }

        _probedOtherFamily = other;
        _waits.ExpectOtherFamily(RegistrationDiscovery.Wait);
        OtherFamilyProbe.Start(client, other, seen =>
        {
            _waits.OtherFamilyDone();
            if (seen is not null && !seen.Equals(OtherFamilyPublicEndPoint) && !_unregistered)
            {
                OtherFamilyPublicEndPoint = seen;
                _candidatesUnsent = true;
            }

            if (_awaitingDiscovery is { } waiting && !StillWaiting)
            {
                _awaitingDiscovery = null;
                Complete(waiting);
            }
        });
    }

    private void MeasureMapping(RegistrationResponse registered, IPEndPoint probe)
    {
        // No refresh while the probe runs: the refresh that follows it carries the result.
        _requestInFlight = true;
        MappingProbe.Start(client, probe, registered.PublicEndPoint, measurement =>
        {
            _requestInFlight = false;
            if (_unregistered)
            {
                return;
            }

            Mapping = measurement.Mapping;
            _reportUnsent |= Mapping != NatMapping.Unknown;
            if (measurement.Problem is { } problem)
            {
                events.Emit(new WarningEvent(problem));
            }

            Complete(registered);
        });
    }

    /// <summary>
    /// The mapping is settled: wait for discovery (within its bound), then, when the server lacks anything we
    /// know, tell it with a Refresh before the registration counts as done: a Connect sent after it finds our
    /// NAT in the registry, so both introductions carry it.
    /// </summary>
    private void Complete(RegistrationResponse registered)
    {
        if (_unregistered)
        {
            return;
        }

        if (StillWaiting)
        {
            _awaitingDiscovery = registered;
            return;
        }

        if (_candidatesUnsent)
        {
            SendRegister(); // The port mapping came after our Register: a renewal carries it (and the report), and its answer completes us.
        }
        else if (_reportUnsent)
        {
            SendRefresh(() => Announce(registered));
        }
        else
        {
            Announce(registered);
        }
    }

    /// <summary>The registration is complete (mapping included): say so and release whoever waits for it.</summary>
    private void Announce(RegistrationResponse response)
    {
        if (_unregistered)
        {
            return;
        }

        events.Emit(new RegisteredEvent(identity, response.PublicEndPoint, response.Lifetime, Mapping, Nat, OtherFamilyPublicEndPoint));
        _announced = true;
        if (_discoveredBeforeRegistered is { } discovered)
        {
            _discoveredBeforeRegistered = null;
            events.Emit(discovered);
        }

        _firstRegistration?.TrySetResult(new RegistrationResult(true, response.PublicEndPoint, null));
    }

    private void OnRegistered(RegistrationResponse response)
    {
        _warned = false;
        _rejoinAttempts = null;
        PublicEndPoint = response.PublicEndPoint;
        var third = response.Lifetime / 3;
        _refreshInterval = third < MinRefreshInterval ? MinRefreshInterval : third;
        _nextRefresh = time.After(_refreshInterval);
    }

    /// <summary>Server trouble is reported once until things work again, not on every retry.</summary>
    private void Warn(string text)
    {
        if (!_warned)
        {
            _warned = true;
            events.Emit(new WarningEvent(text));
        }
    }

    /// <summary>A 401: the network has a key and ours is missing, wrong, or our clock is off.</summary>
    public static string KeyRefusal(RendezvousClient client, string network, ErrorResponse error) =>
        $"the server refused our key for network {network}: {error.Reason}"
        + (client.HasKey ? " (check --key or PUNCH_KEY, and this machine's clock)" : " (this network needs a key: --key or PUNCH_KEY)");

    /// <summary>Why the server refused a Register, in words the person can act on (<paramref name="publicEndPoint"/>: ours as last seen, if any).</summary>
    public static string DescribeRegisterError(RendezvousClient client, PeerIdentity identity, ErrorResponse error, IPEndPoint? publicEndPoint) => error.Code switch
    {
        PunchErrorCode.NameTaken => $"the name {identity.Name} is taken in network {identity.Network} by another live peer ({error.Reason}); pick another --name",
        PunchErrorCode.BadRequest => $"the server rejected the registration as malformed ({error.Reason})",
        PunchErrorCode.Unauthenticated => KeyRefusal(client, identity.Network, error),
        PunchErrorCode.AddressProofRequired => $"the server could not confirm that this peer receives at {publicEndPoint?.ToString() ?? "its address"} ({error.Code} {error.Reason}): "
            + "a NAT that changes our port on every packet, or a firewall dropping the server's answers",
        _ => $"the server refused the registration: {error.Code} {error.Reason}",
    };
}
