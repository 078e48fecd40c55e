using System.Net;
using System.Security.Cryptography;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Punching;

/// <summary>What a peer learns from an introduction: who it talks to, with which credentials, at which candidates.</summary>
public sealed record PunchSetup(SessionId SessionId, bool Controlling, IceCredentials Local, IceCredentials Remote, IReadOnlyList<Candidate> RemoteCandidates);

/// <summary>
/// The punching state machine of one session: pure logic, no sockets. It is fed datagrams and
/// time and answers with <see cref="PunchAction"/>s for the socket loop to carry out.
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
    private CandidatePair? _nominating;
    private long _lastInbound;
    private long _nextKeepalive;

    public PunchSession(PunchSetup setup, PunchOptions options, TimeProvider time)
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
        foreach (var candidate in setup.RemoteCandidates.DistinctBy(c => c.EndPoint))
        {
            _pairs.Add(new CandidatePair(candidate, _started, options.InitialRetransmit));
        }
    }

    public PunchState State { get; private set; } = PunchState.Checking;
    public SessionId SessionId => _setup.SessionId;
    public IPEndPoint? SelectedRemote { get; private set; }
    public int ChecksSent { get; private set; }
    public int ChecksReceived { get; private set; }

    /// <summary>Every remote candidate known so far, including peer-reflexive ones.</summary>
    public IEnumerable<Candidate> Candidates => _pairs.Select(p => p.Remote);

    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>When <see cref="OnTimer"/> should run next, or null when nothing is scheduled.</summary>
    public TimeSpan? NextTimerDue()
    {
        long now = _time.GetTimestamp();
        switch (State)
        {
            case PunchState.Checking:
                long due = _started + ToTicks(_options.Timeout);
                long pacedFrom = _lastCheckSent == long.MinValue ? now : _lastCheckSent + ToTicks(_options.Pacing);
                foreach (var pair in _pairs)
                {
                    if (pair.NeedsChecks)
                    {
                        due = Math.Min(due, Math.Max(pair.NextSend, pacedFrom));
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
            if (now - _started >= ToTicks(_options.Timeout))
            {
                State = PunchState.Failed;
                actions.Add(new PunchFailed(FailureReason(), Elapsed));
                return actions;
            }

            SendDueCheck(now, actions);
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
                var pair = _pairs.First(p => p.Remote.EndPoint.Equals(SelectedRemote));
                actions.Add(SendCheck(pair, now, nominate: _setup.Controlling));
            }
        }

        return actions;
    }

    /// <summary>Traffic other than checks arrived on the path (data, pings): the path is alive.</summary>
    public void NoteActivity(IPEndPoint from)
    {
        from = Normalize(from);
        if (State == PunchState.Connected && from.Equals(SelectedRemote))
        {
            _lastInbound = _time.GetTimestamp();
        }
    }

    /// <summary>Offers a datagram; returns false when it is not a check or check response of this session.</summary>
    public bool OnDatagram(IPEndPoint from, ReadOnlySpan<byte> datagram, out IReadOnlyList<PunchAction> actions)
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

            actions = OnCheck(from, check);
            return true;
        }

        if (message.Type.Class == StunClass.SuccessResponse && _transactions.TryGetValue(message.TransactionId, out var transaction)
            && ConnectivityCheck.TryReadResponse(datagram, _remoteKey, out _))
        {
            _transactions.Remove(message.TransactionId);
            actions = OnCheckAnswered(from, transaction);
            return true;
        }

        return false;
    }

    private List<PunchAction> OnCheck(IPEndPoint from, ConnectivityCheck check)
    {
        var actions = new List<PunchAction>();
        long now = _time.GetTimestamp();
        ChecksReceived++;
        var response = new byte[StunConstants.MaxMessageLength];
        int length = new BindingResponse(check.TransactionId, from).WriteTo(response, _localKey);
        actions.Add(new SendDatagram(from, response[..length]));

        var pair = FindPair(from);
        if (pair is null)
        {
            pair = new CandidatePair(new Candidate(CandidateKind.PeerReflexive, from), now, _options.InitialRetransmit);
            _pairs.Add(pair);
        }

        pair.RequestReceived = true;
        if (State == PunchState.Connected)
        {
            if (from.Equals(SelectedRemote))
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
            pair.NextSend = now;
            pair.Triggered = true;
        }

        TryConnect(pair, now, actions);
        return actions;
    }

    private List<PunchAction> OnCheckAnswered(IPEndPoint from, Transaction transaction)
    {
        var actions = new List<PunchAction>();
        var pair = transaction.Pair;
        // RFC 8445 §7.2.5.2.1: a response from another address than the check went to is not a valid pair.
        if (!from.Equals(pair.Remote.EndPoint))
        {
            return actions;
        }

        long now = _time.GetTimestamp();
        pair.ResponseReceived = true;
        pair.RoundTripTime = _time.GetElapsedTime(transaction.SentAt, now);
        if (State == PunchState.Connected)
        {
            if (from.Equals(SelectedRemote))
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
                // RFC 8445 §8.1.1: the nominating check goes through the triggered-check queue.
                pair.Triggered = true;
                pair.NextSend = now;
                pair.Interval = _options.InitialRetransmit;
            }
        }
        else if (pair.NominationReceived && pair.ResponseReceived)
        {
            Connect(pair, now, actions);
            return;
        }

        SendDueCheck(now, actions);
    }

    private void Connect(CandidatePair pair, long now, List<PunchAction> actions)
    {
        State = PunchState.Connected;
        SelectedRemote = pair.Remote.EndPoint;
        _lastInbound = now;
        _nextKeepalive = now + ToTicks(_options.KeepaliveInterval);
        actions.Add(new PathUp(pair.Remote.EndPoint, Elapsed, pair.RoundTripTime));
    }

    private void SendDueCheck(long now, List<PunchAction> actions)
    {
        if (_lastCheckSent != long.MinValue && now - _lastCheckSent < ToTicks(_options.Pacing))
        {
            return;
        }

        // Triggered checks first (RFC 8445 §6.1.4.2), then round robin over the pairs that are due, so one candidate cannot starve the others.
        var pair = _pairs.Find(p => p.Triggered && p.NeedsChecks) ?? NextDueInTurn(now);
        if (pair is null)
        {
            return;
        }

        pair.Triggered = false;
        actions.Add(SendCheck(pair, now, nominate: pair == _nominating));
        pair.NextSend = now + ToTicks(pair.Interval);
        pair.Interval = TimeSpan.FromTicks(Math.Min(pair.Interval.Ticks * 2, _options.MaxRetransmit.Ticks));
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
        ChecksSent++;
        return new SendDatagram(pair.Remote.EndPoint, buffer[..length]);
    }

    /// <summary>Answers older than the longest plausible round trip are never coming; forget them so the table stays small.</summary>
    private void PruneTransactions(long now)
    {
        if (_transactions.Count < 256)
        {
            return;
        }

        long horizon = now - ToTicks(_options.Timeout);
        foreach (var (id, transaction) in _transactions.Where(t => t.Value.SentAt < horizon).ToList())
        {
            _transactions.Remove(id);
        }
    }

    /// <summary>A dual-mode socket reports IPv4 senders as ::ffff:a.b.c.d; candidates are plain IPv4, so compare like with like.</summary>
    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private CandidatePair? FindPair(IPEndPoint endPoint) => _pairs.Find(p => p.Remote.EndPoint.Equals(endPoint));

    private string FailureReason()
    {
        string tried = string.Join(", ", _pairs.Select(p => p.Remote.ToString()));
        string summary = $"no path within {_options.Timeout.TotalSeconds:0.#} s after {ChecksSent} checks to {_pairs.Count} candidate(s) ({tried}); {ChecksReceived} check(s) arrived from the peer";
        if (_pairs.Count == 0)
        {
            return "the peer offered no candidates: it may have no usable network address";
        }

        if (ChecksReceived == 0 && !_pairs.Any(p => p.ResponseReceived))
        {
            return summary + ": nothing got through in either direction; the NATs on both sides filter unsolicited packets or the peer is offline";
        }

        return ChecksReceived > 0 && !_pairs.Any(p => p.ResponseReceived)
            ? summary + ": the peer's checks reach us but ours never reach it, so its NAT maps or filters per destination"
            : summary + ": checks got through only one way at a time";
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan TicksToSpan(long ticks) => TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);

    private sealed record Transaction(CandidatePair Pair, long SentAt, bool Nominating);

    private sealed class CandidatePair(Candidate remote, long nextSend, TimeSpan interval)
    {
        public Candidate Remote { get; } = remote;
        public long NextSend { get; set; } = nextSend;
        public TimeSpan Interval { get; set; } = interval;
        public bool ResponseReceived { get; set; }
        public bool RequestReceived { get; set; }
        public bool NominationReceived { get; set; }
        /// <summary>In the triggered-check queue: checked before the pairs waiting their turn.</summary>
        public bool Triggered { get; set; }
        public TimeSpan RoundTripTime { get; set; }

        /// <summary>Until it answered, a pair keeps being checked; the pair being nominated keeps being checked until the nomination is answered.</summary>
        public bool NeedsChecks => !ResponseReceived || NominationPending;

        public bool NominationPending { get; set; }
    }
}
