using System.Net;
using BenchmarkDotNet.Attributes;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Server.Udp;

namespace Punch.Bench;

/// <summary>
/// What the per-source rate limit adds to the receive path: the handler answering a Binding request
/// (the cheapest real work, so the ratio is the worst case) with and without the admission in front,
/// and admission alone for a known source and for a new source that evicts another.
/// </summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private readonly byte[] _reply = new byte[StunConstants.MaxMessageLength];
    private readonly Harness.DiscardingSender _sender = new();
    private readonly IPEndPoint _from = new(IPAddress.Parse("203.0.113.7"), 40000);
    private byte[] _binding = [];
    private SocketAddress _fromAddress = null!;
    private RendezvousHandler _handler = null!;
    private SourceRateLimiter _limiter = null!;
    private UInt128 _nextNewSource;

    [GlobalSetup]
    public void Setup()
    {
        var options = new RendezvousOptions { RateLimit = new SourceRateLimitOptions { PacketsPerSecond = 1e12, Burst = 1_000_000 } };
        var harness = new Harness(options);
        _handler = harness.Handler;
        _limiter = new SourceRateLimiter(options.RateLimit, TimeProvider.System, harness.Stats);
        var buffer = new byte[StunConstants.MaxMessageLength];
        _binding = buffer[..new BindingRequest(TransactionId.NewRandom()).WriteTo(buffer)];
        _fromAddress = _from.Serialize();
        _nextNewSource = AddressKey.Of(IPAddress.Parse("10.0.0.0"));
    }

    [Benchmark(Baseline = true, Description = "handler only (no limit)")]
    public void HandlerOnly() => _handler.Handle(_binding, _from, _reply, _sender);

    [Benchmark(Description = "admission + handler")]
    public void AdmissionThenHandler()
    {
        if (_limiter.TryAdmit(AddressKey.Of(_fromAddress)))
        {
            _handler.Handle(_binding, _from, _reply, _sender);
        }
    }

    [Benchmark(Description = "admission, known source")]
    public bool AdmissionKnownSource() => _limiter.TryAdmit(AddressKey.Of(_fromAddress));

    [Benchmark(Description = "admission, new source (evicts)")]
    public bool AdmissionNewSource() => _limiter.TryAdmit(_nextNewSource++);
}
