using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Discovery;

/// <summary>
/// NAT behaviour discovery (RFC 5780 §4) as a pure state machine: it is told what arrived and what
/// time it is, and answers with the datagrams to send. Mapping tests I-III (§4.3) run on one socket,
/// filtering tests I-III (§4.4) on another that contacts nothing but the primary endpoint (so the
/// mapping tests cannot open its filter), the hairpin test (§4.5) from a third socket to the first
/// one's public endpoint, and the optional lifetime probe (§4.6) on fresh sockets, side by side, but
/// mapping tests II and III (the first contact with the server's alternate address) wait until filtering
/// is settled: some NATs filter per host rather than per mapping, and that contact would open their filter.
/// Every request is retransmitted a bounded number of times and the whole run has a time limit.
/// </summary>
public sealed class NatDiscovery
{
    private readonly DiscoveryOptions _options;
    private readonly IReadOnlyList<IPEndPoint> _locals;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _deadline;
    private readonly Dictionary<TransactionId, DiscoveryProbe> _inFlight = [];
    private readonly List<string> _notes = [];
    private readonly LifetimeProbe[] _lifetime;
    private IPEndPoint? _mappedI, _mappedII, _other;
    private (ProbeKind Kind, IPEndPoint To)? _mappingTestWaiting;
    private NatBehaviour _mapping, _filtering;
    private bool _mappingDone, _filteringDone, _hairpinDone;
    private bool? _hairpin;
    private bool _complete;

    /// <param name="localEndPoints">The local endpoint of each socket of <see cref="DiscoverySockets.Count"/>, as the OS bound it (for port preservation and "no NAT").</param>
    public NatDiscovery(DiscoveryOptions options, IReadOnlyList<IPEndPoint> localEndPoints, TimeProvider time)
    {
        if (localEndPoints.Count != DiscoverySockets.Count(options))
        {
            throw new ArgumentException($"Discovery needs {DiscoverySockets.Count(options)} sockets.", nameof(localEndPoints));
        }

        _options = options;
        _locals = localEndPoints;
        _time = time;
        var longestLifetime = options.LifetimeProbes.IsEmpty ? TimeSpan.Zero : options.LifetimeProbes.Max();
        _deadline = time.GetUtcNow() + options.OverallLimit + longestLifetime;
        _lifetime = [.. options.LifetimeProbes.Select(interval => new LifetimeProbe(interval))];
    }

    public bool IsComplete => _complete;

    /// <summary>When <see cref="OnTimer"/> has work next; null once complete.</summary>
    public DateTimeOffset? NextDue => _complete ? null : _inFlight.Count == 0 ? _deadline : _inFlight.Values.Min(p => p.NextSend) is var next && next < _deadline ? next : _deadline;

    public IReadOnlyList<DiscoverySend> Start()
    {
        var sends = new List<DiscoverySend>();
        var now = _time.GetUtcNow();
        Send(sends, now, ProbeKind.MappingTestI, DiscoverySockets.Mapping, _options.Server);
        Send(sends, now, ProbeKind.FilteringTestI, DiscoverySockets.Filtering, _options.Server);
        for (int i = 0; i < _lifetime.Length; i++)
        {
            Send(sends, now, ProbeKind.LifetimeStart, DiscoverySockets.FirstLifetimeProbe + i, _options.Server, index: i);
        }

        return sends;
    }

    public IReadOnlyList<DiscoverySend> OnTimer()
    {
        var sends = new List<DiscoverySend>();
        if (_complete)
        {
            return sends;
        }

        var now = _time.GetUtcNow();
        if (now >= _deadline)
        {
            _notes.Add("gave up at the overall time limit with tests still unanswered");
            _inFlight.Clear();
            _complete = true;
            return sends;
        }

        // Handlers start follow-up tests; collect first so the dictionary is not changed under the loop.
        foreach (var probe in _inFlight.Values.Where(p => p.NextSend <= now).ToList())
        {
            if (probe.Sent >= _options.Attempts)
            {
                _inFlight.Remove(probe.TransactionId);
                OnUnanswered(probe, sends, now);
            }
            else
            {
                sends.Add(probe.Transmit(now, _options.MaxRetransmit));
            }
        }

        CheckComplete(sends, now);
        return sends;
    }

    public IReadOnlyList<DiscoverySend> OnDatagram(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        var sends = new List<DiscoverySend>();
        if (_complete || !StunMessage.TryParse(datagram, out var message) || !_inFlight.TryGetValue(message.TransactionId, out var probe))
        {
            return sends;
        }

        var now = _time.GetUtcNow();
        if (probe.Kind == ProbeKind.Hairpin)
        {
            // §4.5: our own request, turned around by the NAT, reached the mapping socket.
            if (socket == DiscoverySockets.Mapping && message.Type == StunMessageType.BindingRequest)
            {
                _inFlight.Remove(probe.TransactionId);
                (_hairpin, _hairpinDone) = (true, true);
            }
        }
        else if (message.Type.Class == StunClass.ErrorResponse && socket == probe.Socket)
        {
            _inFlight.Remove(probe.TransactionId);
            message.TryGetErrorCode(out int code, out string reason);
            OnRefused(probe, $"{code} {reason}".Trim(), sends, now);
        }
        else if (BehaviourResponse.TryRead(datagram, out var response))
        {
            int expectedSocket = probe.Kind == ProbeKind.LifetimeCheck ? DiscoverySockets.FirstLifetimeProbe + probe.Index : probe.Socket;
            if (socket == expectedSocket || (probe.Kind == ProbeKind.LifetimeCheck && socket == probe.Socket))
            {
                _inFlight.Remove(probe.TransactionId);
                OnAnswered(probe, socket, from, response, sends, now);
            }
        }

        CheckComplete(sends, now);
        return sends;
    }

    public DiscoveryResult Result => new()
    {
        PublicEndPoint = _mappedI,
        LocalEndPoint = _locals[DiscoverySockets.Mapping],
        BehindNat = _mappedI is null ? null : !_mappedI.Equals(_locals[DiscoverySockets.Mapping]),
        Mapping = _mapping,
        Filtering = _filtering,
        Hairpinning = _hairpin,
        PortPreserved = _mappedI is null ? null : _mappedI.Port == _locals[DiscoverySockets.Mapping].Port,
        Lifetime = LifetimeProbe.Bounds(_lifetime),
        OtherAddress = _other,
        Notes = [.. _notes],
    };

    private void OnAnswered(DiscoveryProbe probe, int socket, IPEndPoint from, BehaviourResponse response, List<DiscoverySend> sends, DateTimeOffset now)
    {
        switch (probe.Kind)
        {
            case ProbeKind.MappingTestI:
                _mappedI = response.Mapped;
                _other ??= response.OtherAddress;
                Send(sends, now, ProbeKind.Hairpin, DiscoverySockets.HairpinSender, response.Mapped);
                if (NeedOtherAddress(response, "mapping") is { } other)
                {
                    // Without a second address only the port can change: test III straight away (§4.3 cannot tell address-dependent apart then).
                    bool portOnly = other.Address.Equals(_options.Server.Address);
                    _mappingTestWaiting = portOnly ? (ProbeKind.MappingTestIII, other) : (ProbeKind.MappingTestII, new IPEndPoint(other.Address, _options.Server.Port));
                }
                else
                {
                    _mappingDone = true;
                }

                break;
            case ProbeKind.MappingTestII when response.Mapped.Equals(_mappedI):
                FinishMapping(NatBehaviour.EndpointIndependent);
                break;
            case ProbeKind.MappingTestII:
                _mappedII = response.Mapped;
                Send(sends, now, ProbeKind.MappingTestIII, DiscoverySockets.Mapping, _other!);
                break;
            case ProbeKind.MappingTestIII:
                FinishMapping(_mappedII is null ? MappingClassifier.ClassifyByPortOnly(_mappedI, response.Mapped) : MappingClassifier.Classify(_mappedI, _mappedII, response.Mapped));
                if (_mappedII is null)
                {
                    _notes.Add(PortOnlyMappingNote);
                }

                break;
            case ProbeKind.FilteringTestI:
                _other ??= response.OtherAddress;
                if (NeedOtherAddress(response, "filtering") is { } alternate)
                {
                    bool portOnly = alternate.Address.Equals(_options.Server.Address);
                    Send(sends, now, portOnly ? ProbeKind.FilteringTestIII : ProbeKind.FilteringTestII, DiscoverySockets.Filtering, _options.Server,
                        change: new ChangeRequest(ChangeAddress: !portOnly, ChangePort: true));
                }
                else
                {
                    _filteringDone = true;
                }

                break;
            case ProbeKind.FilteringTestII:
                FinishFiltering(from.Address.Equals(_options.Server.Address) ? NatBehaviour.Unknown : NatBehaviour.EndpointIndependent,
                    from.Address.Equals(_options.Server.Address) ? "the server answered a change-address request from its primary address" : null);
                break;
            case ProbeKind.FilteringTestIII when _other is { } o && o.Address.Equals(_options.Server.Address):
                FinishFiltering(NatBehaviour.Unknown, "the server has no second address: filtering is address-dependent or endpoint-independent");
                break;
            case ProbeKind.FilteringTestIII:
                FinishFiltering(NatBehaviour.AddressDependent);
                break;
            case ProbeKind.LifetimeStart:
                _lifetime[probe.Index].Mapped = response.Mapped;
                var check = new BehaviourRequest(TransactionId.NewRandom(), ResponsePort: new ResponsePort((ushort)response.Mapped.Port));
                Add(new DiscoveryProbe(ProbeKind.LifetimeCheck, probe.Index, DiscoverySockets.LifetimeChecker, _options.Server, Wire(check),
                    now + _lifetime[probe.Index].Interval, _options.InitialRetransmit));
                break;
            case ProbeKind.LifetimeCheck when socket == probe.Socket:
                _notes.Add("the server ignored RESPONSE-PORT: mapping lifetime unknown");
                _lifetime[probe.Index].Alive = null;
                _lifetime[probe.Index].Settled = true;
                break;
            case ProbeKind.LifetimeCheck:
                (_lifetime[probe.Index].Alive, _lifetime[probe.Index].Settled) = (true, true);
                break;
        }
    }

    private void OnUnanswered(DiscoveryProbe probe, List<DiscoverySend> sends, DateTimeOffset now)
    {
        switch (probe.Kind)
        {
            case ProbeKind.MappingTestI:
                _notes.Add($"the server {_options.Server} did not answer");
                (_mappingDone, _hairpinDone) = (true, true);
                break;
            case ProbeKind.MappingTestII or ProbeKind.MappingTestIII:
                _notes.Add($"the server's other endpoint did not answer the mapping test ({probe.To})");
                FinishMapping(NatBehaviour.Unknown);
                break;
            case ProbeKind.FilteringTestI:
                _filteringDone = true;
                break;
            case ProbeKind.FilteringTestII:
                // §4.4: no answer from the other address; ask for the other port only.
                Send(sends, now, ProbeKind.FilteringTestIII, DiscoverySockets.Filtering, _options.Server, change: new ChangeRequest(ChangeAddress: false, ChangePort: true));
                break;
            case ProbeKind.FilteringTestIII:
                FinishFiltering(NatBehaviour.AddressAndPortDependent);
                break;
            case ProbeKind.Hairpin:
                (_hairpin, _hairpinDone) = (false, true);
                break;
            case ProbeKind.LifetimeStart:
                _lifetime[probe.Index].Settled = true;
                break;
            case ProbeKind.LifetimeCheck:
                (_lifetime[probe.Index].Alive, _lifetime[probe.Index].Settled) = (false, true);
                break;
        }
    }

    private void OnRefused(DiscoveryProbe probe, string error, List<DiscoverySend> sends, DateTimeOffset now)
    {
        _notes.Add($"the server refused a {probe.Kind} request: {error}");
        switch (probe.Kind)
        {
            case ProbeKind.FilteringTestII:
                // 420: the server cannot change its address (RFC 5780 §6.1); the port test still tells something.
                Send(sends, now, ProbeKind.FilteringTestIII, DiscoverySockets.Filtering, _options.Server, change: new ChangeRequest(ChangeAddress: false, ChangePort: true));
                break;
            case ProbeKind.FilteringTestIII:
                FinishFiltering(NatBehaviour.Unknown);
                break;
            case ProbeKind.LifetimeStart or ProbeKind.LifetimeCheck:
                _lifetime[probe.Index].Settled = true;
                break;
            default:
                OnUnanswered(probe, sends, now);
                break;
        }
    }

    public const string PortOnlyMappingNote = "the server has no second address: mapping was compared across ports only";

    /// <summary>The note for a test (<c>mapping</c> or <c>filtering</c>) that needed the server's OTHER-ADDRESS and got none.</summary>
    public static string NoOtherAddressNote(string test) => $"the server sent no OTHER-ADDRESS (no RFC 5780 behaviour discovery): {test} unknown";

    private IPEndPoint? NeedOtherAddress(BehaviourResponse response, string test)
    {
        if (response.OtherAddress is { } other && !other.Equals(_options.Server))
        {
            return other;
        }

        string note = NoOtherAddressNote(test);
        if (!_notes.Contains(note))
        {
            _notes.Add(note);
        }

        return null;
    }

    private void FinishMapping(NatBehaviour mapping) => (_mapping, _mappingDone) = (mapping, true);

    private void FinishFiltering(NatBehaviour filtering, string? note = null)
    {
        (_filtering, _filteringDone) = (filtering, true);
        if (note is not null)
        {
            _notes.Add(note);
        }
    }

    private void CheckComplete(List<DiscoverySend> sends, DateTimeOffset now)
    {
        if (_filteringDone && _mappingTestWaiting is { } waiting)
        {
            _mappingTestWaiting = null;
            Send(sends, now, waiting.Kind, DiscoverySockets.Mapping, waiting.To);
        }

        if (_mappingDone && _filteringDone && _hairpinDone && _lifetime.All(l => l.Settled))
        {
            _inFlight.Clear();
            _complete = true;
        }
    }

    private void Send(List<DiscoverySend> sends, DateTimeOffset now, ProbeKind kind, int socket, IPEndPoint to, int index = 0, ChangeRequest change = default)
    {
        var probe = new DiscoveryProbe(kind, index, socket, to, Wire(new BehaviourRequest(TransactionId.NewRandom(), change)), now, _options.InitialRetransmit);
        Add(probe);
        sends.Add(probe.Transmit(now, _options.MaxRetransmit));
    }

    private void Add(DiscoveryProbe probe) => _inFlight[probe.TransactionId] = probe;

    private static byte[] Wire(BehaviourRequest request)
    {
        Span<byte> buffer = stackalloc byte[64];
        return buffer[..request.WriteTo(buffer)].ToArray();
    }

    /// <summary>One mapping of the lifetime probe (§4.6): made at start, checked once after its interval.</summary>
    private sealed class LifetimeProbe(TimeSpan interval)
    {
        public TimeSpan Interval { get; } = interval;
        public IPEndPoint? Mapped { get; set; }
        public bool? Alive { get; set; }
        public bool Settled { get; set; }

        public static LifetimeBounds? Bounds(LifetimeProbe[] probes)
        {
            var alive = probes.Where(p => p.Alive == true).Select(p => p.Interval).DefaultIfEmpty(TimeSpan.Zero).Max();
            var gone = probes.Where(p => p.Alive == false && p.Interval > alive).Select(p => (TimeSpan?)p.Interval).Min();
            return probes.Any(p => p.Alive is not null) ? new LifetimeBounds(alive, gone) : null;
        }
    }
}
