using System.Net;
using System.Security.Cryptography;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Punching;

/// <summary>
/// The punching state machine of one session: pure logic, no sockets. It is fed datagrams (with the
/// number of the local socket they arrived on) and time, and answers with <see cref="PunchAction"/>s
/// for the socket loop to carry out.
/// <para>
/// Checks (RFC 8445 §7.2) go to every remote candidate, paced and retried (see <see cref="PunchOptions"/>),
/// and a check arriving from an address we did not know adds a peer-reflexive candidate with an
/// immediate triggered check (§7.3.1.3-4). A pair is valid once a check completed both ways (we got
/// an answer to ours and received one of theirs). The controlling side then nominates it with
/// USE-CANDIDATE (regular nomination, §8.1.1) so both sides settle on the same pair: the controlling
/// side when the nominating check is answered, the controlled side when it has received the
/// nomination and its own check on that pair was answered.
/// </para>
/// <para>
/// When exactly one side is behind an endpoint-dependent (symmetric) mapping, the sides add port
/// prediction (<see cref="PunchStrategy"/>): many sockets on the symmetric side, many probed ports on
/// the other. Both symmetric: fail at once with the reason.
/// </para>
/// <para>
/// Once connected the session keeps the path: a signed check every keepalive interval keeps the NAT
/// mappings open and proves consent (RFC 7675); silence for the path timeout is a lost path.
/// </para>
/// </summary>
public sealed class PunchSession
{
    private readonly PunchSetup _setup;
    private readonly PunchOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[] _localKey;
    private readonly byte[] _remoteKey;
    private readonly string _outboundUsername;
    private readonly string _inboundUsername;
    private readonly ulong _tieBreaker;
    private readonly List<CandidatePair> _pairs = [];
    private readonly Dictionary<TransactionId, Transaction> _transactions = [];
    private readonly long _started;
    private long _lastCheckSent = long.MinValue;
    private int _nextPairIndex;
    private bool _socketsRequested;
    private CandidatePair? _nominating;
    private CandidatePair? _selected;
    private long _lastInbound;
    private long _nextKeepalive;

    public PunchSession(PunchSetup setup, PunchOptions options, TimeProvider time, Random? random = null)
    {
        _setup = setup;
        _options = options;
        _time = time;
        _localKey = ConnectivityCheck.PasswordKey(setup.Local.Password);
        _remoteKey = ConnectivityCheck.PasswordKey(setup.Remote.Password);
        _outboundUsername = $"{setup.Remote.UsernameFragment}:{setup.Local.UsernameFragment}";
        _inboundUsername = $"{setup.Local.UsernameFragment}:{setup.Remote.UsernameFragment}";
        _tieBreaker = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        _started = time.GetTimestamp();
        Strategy = FamilyPreference.Choose(new NatType(setup.LocalMapping, setup.LocalFiltering), new NatType(setup.RemoteMapping, setup.RemoteFiltering), setup.RemoteCandidates);
        _pairs.AddRange(PunchPlan.CreatePairs(setup, Strategy, options, _started, random ?? Random.Shared));
    }

    public PunchState State { get; private set; } = PunchState.Checking;
    public PunchStrategy Strategy { get; }
    public SessionId SessionId => _setup.SessionId;
    public IPEndPoint? SelectedRemote => _selected?.Remote.EndPoint;

    /// <summary>How the selected path's remote candidate was learned (host, srflx, prflx, ...), for outputs that say which kind won.</summary>
    public CandidateKind? SelectedKind => _selected?.Remote.Kind;

    /// <summary>The local socket of the selected path (0 = main socket).</summary>
    public int SelectedSocket => _selected?.Socket ?? 0;

    public int ChecksSent { get; private set; }
    public int ChecksReceived { get; private set; }

    /// <summary>The remote candidates checked from the main socket, including peer-reflexive ones (not the guessed ports of port prediction).</summary>
    public IEnumerable<Candidate> Candidates => _pairs.Where(p => p.Socket == 0 && !p.IsProbe).Select(p => p.Remote);

    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>When <see cref="OnTimer"/> should run next, or null when nothing is scheduled.</summary>
    public TimeSpan? NextTimerDue()
    {
        long now = _time.GetTimestamp();
        switch (State)
        {
            case PunchState.Checking:
                if (Strategy == PunchStrategy.Impossible || (Strategy == PunchStrategy.OpenManySockets && !_socketsRequested))
                {
                    return TimeSpan.Zero;
                }

                long due = _started + ToTicks(_options.Timeout);
                long pacedFrom = _lastCheckSent == long.MinValue ? now : _lastCheckSent + ToTicks(_options.Pacing);
                foreach (var pair in _pairs)
                {
                    if (pair.NeedsChecks)
                    {
                        due = Math.Min(due, Math.Max(pair.Triggered ? now : pair.NextSend, pacedFrom));
                    }
                }

                return TicksToSpan(Math.Max(0, due - now));
            case PunchState.Connected:
                long next = Math.Min(_nextKeepalive, _lastInbound + ToTicks(_options.PathTimeout));
                return TicksToSpan(Math.Max(0, next - now));
            default:
                return null;
        }
    }

    public IReadOnlyList<PunchAction> OnTimer()
    {
        var actions = new List<PunchAction>();
        long now = _time.GetTimestamp();
        if (State == PunchState.Checking)
        {
            if (Strategy == PunchStrategy.Impossible)
            {
                State = PunchState.Failed;
                actions.Add(new PunchFailed(PunchStrategies.ImpossibleReason, Elapsed));
                return actions;
            }

            if (now - _started >= ToTicks(_options.Timeout))
            {
                State = PunchState.Failed;
                actions.Add(new PunchFailed(FailureReason(), Elapsed));
                return actions;
            }

            SendDueChecks(now, actions);
        }
        else if (State == PunchState.Connected)
        {
            if (now - _lastInbound >= ToTicks(_options.PathTimeout))
            {
                State = PunchState.Lost;
                actions.Add(new PathLost(SelectedRemote!, $"no answer from {SelectedRemote} for {_options.PathTimeout.TotalSeconds:0} s: the peer is gone or a NAT dropped the mapping"));
                return actions;
            }

            if (now >= _nextKeepalive)
            {
                _nextKeepalive = now + ToTicks(_options.KeepaliveInterval);
                actions.Add(SendCheck(_selected!, now, nominate: _setup.Controlling));
            }
        }

        return actions;
    }

    /// <summary>Traffic other than checks arrived on the path (data, pings): the path is alive.</summary>
    public void NoteActivity(IPEndPoint from)
    {
        if (State == PunchState.Connected && Normalize(from).Equals(SelectedRemote))
        {
            _lastInbound = _time.GetTimestamp();
        }
    }

    /// <summary>
    /// True when a signed check of this session arrived on that socket from that address: the peer is
    /// there, so its data may be accepted from it even before this side has confirmed the path (the
    /// other side may switch a moment earlier).
    /// </summary>
    public bool HasHeardFrom(int socket, IPEndPoint from)
    {
        from = Normalize(from);
        return _pairs.Exists(p => p.RequestReceived && p.Matches(socket, from));
    }

    /// <summary>Offers a datagram that arrived on the main socket.</summary>
    public bool OnDatagram(IPEndPoint from, ReadOnlySpan<byte> datagram, out IReadOnlyList<PunchAction> actions) =>
        OnDatagram(0, from, datagram, out actions);

    /// <summary>Offers a datagram that arrived on local socket <paramref name="socket"/>; false when it is not a check or check response of this session.</summary>
    public bool OnDatagram(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram, out IReadOnlyList<PunchAction> actions)
    {
        actions = [];
        from = Normalize(from);
        if (!StunMessage.TryParse(datagram, out var message) || message.Type.Method != StunMessageType.BindingMethod)
        {
            return false;
        }

        if (message.Type.Class == StunClass.Request)
        {
            if (!ConnectivityCheck.TryRead(datagram, _localKey, out var check) || check.Username != _inboundUsername)
            {
                return false;
            }

            actions = OnCheck(socket, from, check);
            return true;
        }

        if (message.Type.Class == StunClass.SuccessResponse && _transactions.TryGetValue(message.TransactionId, out var transaction)
            && ConnectivityCheck.TryReadResponse(datagram, _remoteKey, out _))
        {
            _transactions.Remove(message.TransactionId);
            actions = OnCheckAnswered(socket, from, transaction);
            return true;
        }

        return false;
    }

    private List<PunchAction> OnCheck(int socket, IPEndPoint from, ConnectivityCheck check)
    {
        var actions = new List<PunchAction>();
        long now = _time.GetTimestamp();
        ChecksReceived++;
        var response = new byte[StunConstants.MaxMessageLength];
        int length = new BindingResponse(check.TransactionId, from).WriteTo(response, _localKey);
        actions.Add(new SendDatagram(from, response[..length], socket));

        var pair = _pairs.Find(p => p.Matches(socket, from) && !p.IsProbe) ?? _pairs.Find(p => p.Matches(socket, from));
        if (pair is null)
        {
            pair = new CandidatePair(socket, new Candidate(CandidateKind.PeerReflexive, from), now, _options.InitialRetransmit);
            _pairs.Add(pair);
        }

        pair.RequestReceived = true;
        if (State == PunchState.Connected)
        {
            if (pair == _selected)
            {
                _lastInbound = now;
            }

            return actions;
        }

        if (check.UseCandidate && !_setup.Controlling)
        {
            pair.NominationReceived = true;
        }

        if (!pair.ResponseReceived)
        {
            // Triggered check (RFC 8445 §7.3.1.4): their check just opened our NAT toward them, so ours should go now.
            pair.Triggered = true;
        }

        TryConnect(pair, now, actions);
        return actions;
    }

    private List<PunchAction> OnCheckAnswered(int socket, IPEndPoint from, Transaction transaction)
    {
        var actions = new List<PunchAction>();
        var pair = transaction.Pair;
        // RFC 8445 §7.2.5.2.1: a response from another address than the check went to is not a valid pair.
        if (!pair.Matches(socket, from))
        {
            return actions;
        }

        long now = _time.GetTimestamp();
        pair.ResponseReceived = true;
        pair.RoundTripTime = _time.GetElapsedTime(transaction.SentAt, now);
        if (State == PunchState.Connected)
        {
            if (pair == _selected)
            {
                _lastInbound = now;
            }

            return actions;
        }

        if (transaction.Nominating && _setup.Controlling && State == PunchState.Checking)
        {
            pair.NominationPending = false;
            Connect(pair, now, actions);
            return actions;
        }

        TryConnect(pair, now, actions);
        return actions;
    }

    private void TryConnect(CandidatePair pair, long now, List<PunchAction> actions)
    {
        if (State != PunchState.Checking)
        {
            return;
        }

        if (_setup.Controlling)
        {
            if (_nominating is null && pair.ResponseReceived && pair.RequestReceived)
            {
                _nominating = pair;
                pair.NominationPending = true;
                pair.Triggered = true;
                pair.Interval = _options.InitialRetransmit;
            }
        }
        else if (pair.NominationReceived && pair.ResponseReceived)
        {
            Connect(pair, now, actions);
            return;
        }

        SendDueChecks(now, actions);
    }

    private void Connect(CandidatePair pair, long now, List<PunchAction> actions)
    {
        State = PunchState.Connected;
        _selected = pair;
        _lastInbound = now;
        _nextKeepalive = now + ToTicks(_options.KeepaliveInterval);
        actions.Add(new PathUp(pair.Remote.EndPoint, Elapsed, pair.RoundTripTime, pair.Socket));
    }

    /// <summary>
    /// One check per pacing interval (RFC 8445 §14.2), or a batch of them while port prediction runs:
    /// triggered checks first (§6.1.4.2), then round robin over the pairs that are due, so one
    /// candidate cannot starve the others.
    /// </summary>
    private void SendDueChecks(long now, List<PunchAction> actions)
    {
        // Whatever comes first, the first timer or a check from the peer, the sockets must exist before anything is sent from them.
        if (Strategy == PunchStrategy.OpenManySockets && !_socketsRequested)
        {
            _socketsRequested = true;
            actions.Add(new OpenSockets(_options.PredictionSockets));
        }

        if (_lastCheckSent != long.MinValue && now - _lastCheckSent < ToTicks(_options.Pacing))
        {
            return;
        }

        int batch = Strategy == PunchStrategy.Regular ? 1 : _options.PredictionBatch;
        for (int i = 0; i < batch; i++)
        {
            var pair = _pairs.Find(p => p.Triggered && p.NeedsChecks) ?? NextDueInTurn(now);
            if (pair is null)
            {
                return;
            }

            pair.Triggered = false;
            actions.Add(SendCheck(pair, now, nominate: pair == _nominating));
            pair.NextSend = now + ToTicks(pair.Interval);
            if (!pair.IsPrediction)
            {
                pair.Interval = TimeSpan.FromTicks(Math.Min(pair.Interval.Ticks * 2, _options.MaxRetransmit.Ticks));
            }
        }
    }

    private CandidatePair? NextDueInTurn(long now)
    {
        for (int i = 0; i < _pairs.Count; i++)
        {
            var pair = _pairs[(_nextPairIndex + i) % _pairs.Count];
            if (pair.NeedsChecks && pair.NextSend <= now)
            {
                _nextPairIndex = (_nextPairIndex + i + 1) % _pairs.Count;
                return pair;
            }
        }

        return null;
    }

    private SendDatagram SendCheck(CandidatePair pair, long now, bool nominate)
    {
        var transactionId = TransactionId.NewRandom();
        var buffer = new byte[StunConstants.MaxMessageLength];
        int length = new ConnectivityCheck(transactionId, _outboundUsername, _setup.Controlling, _tieBreaker, nominate).WriteTo(buffer, _remoteKey);
        PruneTransactions(now);
        _transactions[transactionId] = new Transaction(pair, now, nominate);
        _lastCheckSent = now;
        pair.ChecksSent++;
        ChecksSent++;
        return new SendDatagram(pair.Remote.EndPoint, buffer[..length], pair.Socket);
    }

    /// <summary>Answers older than the longest plausible round trip are never coming; forget them so the table stays small.</summary>
    private void PruneTransactions(long now)
    {
        if (_transactions.Count < 4096)
        {
            return;
        }

        long horizon = now - ToTicks(_options.MaxRetransmit * 4);
        foreach (var (id, _) in _transactions.Where(t => t.Value.SentAt < horizon).ToList())
        {
            _transactions.Remove(id);
        }
    }

    /// <summary>A dual-mode socket reports IPv4 senders as ::ffff:a.b.c.d; candidates are plain IPv4, so compare like with like.</summary>
    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private string FailureReason() =>
        PunchPlan.DescribeFailure(Strategy, _pairs, _options, ChecksSent, ChecksReceived);

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan TicksToSpan(long ticks) => TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);

    private sealed record Transaction(CandidatePair Pair, long SentAt, bool Nominating);
}
