using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Peer.Tests;

/// <summary>
/// A stand-in for the real rendezvous server, on 127.0.0.1 only: answers Register, Refresh,
/// Connect and Report as Core's messages define them and introduces pairs (retransmitting each
/// Introduction until acknowledged), passing on the NAT mapping each peer reported. A second port
/// answers Binding requests (the mapping probe) and is announced in Register responses; loopback
/// has no NAT, so a test makes a peer look symmetric by naming it in <see cref="SymmetricNatPeers"/>.
/// With <c>offerRelay</c> it also plays the relay (<see cref="FakeRelay"/>): each introduction carries a channel.
/// </summary>
internal sealed class FakeRendezvous : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _probeSocket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Registered> _peers = [];
    private readonly List<PendingConnect> _waiting = [];
    private readonly Dictionary<(string, string), SessionId> _sessions = [];
    private readonly ConcurrentDictionary<TransactionId, byte> _acknowledged = new();
    private readonly Task _loop;
    private readonly Task _probeLoop;

    /// <param name="alternateAddress">Answer NAT behaviour discovery on 127.0.0.2 too, as a server with <c>Rendezvous:AlternateAddress</c> does.</param>
    public FakeRendezvous(TimeSpan? lifetime = null, bool announceProbePort = true, bool offerRelay = false, bool alternateAddress = false)
    {
        Lifetime = lifetime ?? TimeSpan.FromSeconds(60);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _probeSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        ProbePort = announceProbePort ? (ushort)((IPEndPoint)_probeSocket.LocalEndPoint!).Port : null;
        Behaviour = new FakeBehaviourResponder(_socket, _probeSocket, announceProbePort, alternateAddress, _stop.Token);
        Relay = offerRelay ? new FakeRelay(_socket) : null;
        _loop = Task.Run(() => ReceiveLoopAsync(_socket, Handle));
        _probeLoop = Task.Run(() => ReceiveLoopAsync(_probeSocket, HandleProbe));
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Answers the NAT behaviour discovery peers run as they register.</summary>
    public FakeBehaviourResponder Behaviour { get; }

    /// <summary>True for either of the server's sockets (the main one and the mapping probe's).</summary>
    public bool Owns(IPEndPoint endPoint) => endPoint.Equals(EndPoint) || endPoint.Equals(_probeSocket.LocalEndPoint);
    public TimeSpan Lifetime { get; }

    /// <summary>The port announced in Register responses (the probe socket answers Binding requests either way).</summary>
    public ushort? ProbePort { get; }

    /// <summary>
    /// Peers whose mapping probe is answered with another port than their registered one, as an
    /// endpoint-dependent (symmetric) NAT would map a second destination. Set before they register.
    /// </summary>
    public HashSet<string> SymmetricNatPeers { get; } = [];

    public ConcurrentQueue<BindingRequest> Probes { get; } = new();

    /// <summary>
    /// As the real server: a Register without the cookie of an earlier challenge is answered with an
    /// <see cref="AddressChallenge"/> (438) and nothing else; <see cref="FakeRelay"/> does the same for RelayActivate.
    /// </summary>
    public bool RequireAddressProof { get; set; }

    /// <summary>The cookie every challenge carries; a fake needs no MAC, only a value the peer must echo.</summary>
    public static readonly AddressCookie Cookie = new(1, 0x0123456789ABCDEF);

    public int Challenges;

    /// <summary>Names the server refuses with 409, as if another live peer held them.</summary>
    public HashSet<string> TakenNames { get; } = [];

    public ConcurrentQueue<ReportRequest> Reports { get; } = new();

    /// <summary>The relay it plays with <c>offerRelay</c> (null without).</summary>
    public FakeRelay? Relay { get; }

    public ConcurrentQueue<RefreshRequest> Refreshes { get; } = new();

    /// <summary>Every Register taken (renewals too), in order.</summary>
    public ConcurrentQueue<RegisterRequest> Registers { get; } = new();
    public int Registrations;

    public IPEndPoint? EndPointOf(string name)
    {
        lock (_gate)
        {
            return _peers.TryGetValue(name, out var peer) ? peer.EndPoint : null;
        }
    }

    /// <summary>Drops every registration, as a restarted server would.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _peers.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        _probeSocket.Dispose();
        Behaviour.Dispose();
        try
        {
            await Task.WhenAll(_loop, _probeLoop).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, Action<IPEndPoint, byte[]> handle)
    {
        var buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            handle((IPEndPoint)received.RemoteEndPoint, buffer.AsSpan(0, received.ReceivedBytes).ToArray());
        }
    }

    /// <summary>The mapping probe: what address the request came from, or for a "symmetric" peer a port its NAT would have picked for this destination.</summary>
    private void HandleProbe(IPEndPoint from, byte[] datagram)
    {
        if (!BindingRequest.TryRead(datagram, out var request))
        {
            return;
        }

        string? name;
        lock (_gate)
        {
            name = _peers.FirstOrDefault(p => p.Value.EndPoint.Equals(from)).Key;
        }

        // Only a registered peer's main socket sends the mapping probe; anything else is discovery's test III.
        if (name is null && Behaviour.TryAnswer(_probeSocket, from, datagram))
        {
            return;
        }

        Probes.Enqueue(request);

        var mapped = name is not null && SymmetricNatPeers.Contains(name) ? new IPEndPoint(from.Address, from.Port == ushort.MaxValue ? 1024 : from.Port + 1) : from;
        Reply(_probeSocket, from, buffer => new BindingResponse(request.TransactionId, mapped).WriteTo(buffer));
    }

    private void Handle(IPEndPoint from, byte[] datagram)
    {
        if (Behaviour.TryAnswer(_socket, from, datagram))
        {
            return;
        }

        if (Relay?.TryHandle(from, datagram) == true)
        {
            return;
        }

        if (RegisterRequest.TryRead(datagram, out var register))
        {
            OnRegister(from, register);
        }
        else if (RefreshRequest.TryRead(datagram, out var refresh))
        {
            Refreshes.Enqueue(refresh);
            bool known;
            List<PendingConnect> ready = [];
            lock (_gate)
            {
                known = _peers.TryGetValue(refresh.Peer.Name, out var peer);
                if (known && refresh.Lifetime == TimeSpan.Zero)
                {
                    _peers.Remove(refresh.Peer.Name);
                }
                else if (known)
                {
                    // As the real registry: what a refresh knows wins, what it does not know is kept.
                    _peers[refresh.Peer.Name] = peer! with
                    {
                        Mapping = refresh.Mapping == NatMapping.Unknown ? peer.Mapping : refresh.Mapping,
                        Filtering = refresh.Nat.Filtering == NatBehaviour.Unknown ? peer.Filtering : refresh.Nat.Filtering,
                    };
                    ready = TakeReady(refresh.Peer.Name);
                }
            }

            Reply(from, known
                ? new RegistrationResponse(PunchMethod.Refresh, refresh.TransactionId, from, refresh.Lifetime ?? Lifetime, ProbePort).WriteTo
                : new ErrorResponse(PunchMethod.Refresh, refresh.TransactionId, PunchErrorCode.NotRegistered, "not registered").WriteTo);
            foreach (var pending in ready)
            {
                Introduce(pending.Requester, pending.Target, pending.SessionId);
            }
        }
        else if (ConnectRequest.TryRead(datagram, out var connect))
        {
            OnConnect(from, connect);
        }
        else if (ReportRequest.TryRead(datagram, out var report))
        {
            Reports.Enqueue(report);
            Reply(from, new SuccessResponse(PunchMethod.Report, report.TransactionId).WriteTo);
        }
        else if (IntroductionAck.TryRead(datagram, out var ack))
        {
            _acknowledged.TryAdd(ack.TransactionId, 0);
        }
    }

    private void OnRegister(IPEndPoint from, RegisterRequest register)
    {
        if (RequireAddressProof && register.Cookie != Cookie)
        {
            Interlocked.Increment(ref Challenges);
            Reply(from, new AddressChallenge(PunchMethod.Register, register.TransactionId, Cookie, "update punch").WriteTo);
            return;
        }

        if (TakenNames.Contains(register.Peer.Name))
        {
            Reply(from, new ErrorResponse(PunchMethod.Register, register.TransactionId, PunchErrorCode.NameTaken, "name in use").WriteTo);
            return;
        }

        List<PendingConnect> ready;
        lock (_gate)
        {
            _peers[register.Peer.Name] = new Registered(from, register.HostCandidates, register.Mapping, register.Nat.Filtering, register.Mapped);
            Registers.Enqueue(register);
            Interlocked.Increment(ref Registrations);
            ready = TakeReady(register.Peer.Name);
        }

        Reply(from, new RegistrationResponse(PunchMethod.Register, register.TransactionId, from, Lifetime, ProbePort).WriteTo);
        foreach (var pending in ready)
        {
            Introduce(pending.Requester, pending.Target, pending.SessionId);
        }
    }

    private void OnConnect(IPEndPoint from, ConnectRequest connect)
    {
        string requester = connect.Peer.Name;
        string target = connect.TargetPeer;
        SessionId id;
        bool introduce;
        bool targetKnown;
        bool targetReady;
        lock (_gate)
        {
            var key = string.CompareOrdinal(requester, target) < 0 ? (requester, target) : (target, requester);
            introduce = !_sessions.TryGetValue(key, out id);
            if (introduce)
            {
                id = SessionId.NewRandom();
                _sessions[key] = id;
            }

            targetKnown = _peers.TryGetValue(target, out var targetPeer);
            targetReady = targetKnown && IsIntroducible(targetPeer!);
            if (introduce && !targetReady)
            {
                _waiting.Add(new PendingConnect(requester, target, id));
            }
        }

        Reply(from, new ConnectResponse(connect.TransactionId, id, targetKnown ? ConnectStatus.Introducing : ConnectStatus.WaitingForPeer).WriteTo);
        if (introduce && targetReady)
        {
            Introduce(requester, target, id);
        }
    }

    /// <summary>As the real server: a peer is introduced once its mapping is known (it measures it right after registering), so its registration is done first.</summary>
    private bool IsIntroducible(Registered peer) => peer.Mapping != NatMapping.Unknown || ProbePort is null;

    /// <summary>The connects waiting for <paramref name="target"/>, taken off the list, once it can be introduced. Under the lock.</summary>
    private List<PendingConnect> TakeReady(string target)
    {
        if (!_peers.TryGetValue(target, out var peer) || !IsIntroducible(peer))
        {
            return [];
        }

        var ready = _waiting.Where(w => w.Target == target).ToList();
        _waiting.RemoveAll(ready.Contains);
        return ready;
    }

    private void Introduce(string controlling, string controlled, SessionId id)
    {
        Registered a, b;
        lock (_gate)
        {
            if (!_peers.TryGetValue(controlling, out a!) || !_peers.TryGetValue(controlled, out b!))
            {
                return;
            }
        }

        var aCredentials = new IceCredentials("ufa" + id.Value % 1000, "password-of-a-" + id);
        var bCredentials = new IceCredentials("ufb" + id.Value % 1000, "password-of-b-" + id);
        ushort? channel = Relay?.Allocate(id, (controlling, aCredentials), (controlled, bCredentials));

        _ = SendUntilAcknowledgedAsync(a.EndPoint, new Introduction(TransactionId.NewRandom(), id, controlled, true, aCredentials, bCredentials, b.Candidates, b.Mapping, channel, b.Filtering));
        _ = SendUntilAcknowledgedAsync(b.EndPoint, new Introduction(TransactionId.NewRandom(), id, controlling, false, bCredentials, aCredentials, a.Candidates, a.Mapping, channel, a.Filtering));
    }

    private async Task SendUntilAcknowledgedAsync(IPEndPoint to, Introduction introduction)
    {
        for (int attempt = 0; attempt < 10 && !_acknowledged.ContainsKey(introduction.TransactionId); attempt++)
        {
            Reply(to, introduction.WriteTo);
            try
            {
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Reply(IPEndPoint to, MessageWriter write) => Reply(_socket, to, write);

    internal static void Reply(Socket socket, IPEndPoint to, MessageWriter write)
    {
        var buffer = new byte[StunConstants.MaxMessageLength];
        int length = write(buffer);
        try
        {
            socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private sealed record Registered(IPEndPoint EndPoint, ImmutableArray<IPEndPoint> HostCandidates, NatMapping Mapping, NatBehaviour Filtering = NatBehaviour.Unknown, ImmutableArray<IPEndPoint> Mapped = default)
    {
        /// <summary>What the other side gets: the host candidates, the router's mapping if any, and the address the server saw (server-reflexive).</summary>
        public ImmutableArray<Candidate> Candidates =>
            [.. HostCandidates.Select(e => new Candidate(CandidateKind.Host, e)), .. (Mapped.IsDefault ? [] : Mapped).Select(e => new Candidate(CandidateKind.Mapped, e)),
                new Candidate(CandidateKind.ServerReflexive, EndPoint)];
    }

    internal delegate int MessageWriter(Span<byte> destination);

    private sealed record PendingConnect(string Requester, string Target, SessionId SessionId);
}
