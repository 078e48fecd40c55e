using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Relay;
using Punch.Server.Rendezvous;

namespace Punch.Bench;

/// <summary>
/// The relay's per-datagram cost next to the cheapest real work of the rendezvous (answering a Binding
/// request): forwarding a frame between the two bound sides of a session, and dropping one from an
/// address that is not a side (what a flood of forged frames costs). Sends are discarded, so the
/// figures are the server's own work, without the kernel's.
/// </summary>
[MemoryDiagnoser]
public class RelayBenchmarks
{
    private readonly byte[] _reply = new byte[StunConstants.MaxMessageLength];
    private readonly IPEndPoint _alice = new(IPAddress.Parse("203.0.113.7"), 40000);
    private readonly IPEndPoint _bob = new(IPAddress.Parse("198.51.100.9"), 50000);
    private readonly SocketAddress _aliceAddress = new IPEndPoint(IPAddress.Parse("203.0.113.7"), 40000).Serialize();
    private readonly SocketAddress _malloryAddress = new IPEndPoint(IPAddress.Parse("192.0.2.66"), 40000).Serialize();
    private Harness _harness = null!;
    private byte[] _binding = [];
    private byte[] _smallFrame = [];
    private byte[] _largeFrame = [];

    [GlobalSetup]
    public void Setup()
    {
        var relayOptions = new RelayOptions { BytesPerSecond = long.MaxValue / 4, BurstBytes = long.MaxValue / 4, MaxBytes = long.MaxValue / 4 };
        _harness = new Harness(new RendezvousOptions(), relayOptions);
        var now = DateTimeOffset.UtcNow;
        var session = new RendezvousSession(SessionId.NewRandom(), new PeerIdentity("default", "alice"), new PeerIdentity("default", "bob"), now, _alice.Address);
        // Presumed at the introduced (registered, proven) endpoints: the activations below come from there, so no challenge.
        ushort channel = _harness.Relay.Allocate(session, _alice, _bob, now) ?? throw new InvalidOperationException("no relay channel");
        Activate(session, session.Requester, _alice);
        Activate(session, session.Target, _bob);

        var buffer = new byte[StunConstants.MaxMessageLength];
        _binding = buffer[..new BindingRequest(TransactionId.NewRandom()).WriteTo(buffer)];
        _smallFrame = Frame(channel, 100);
        _largeFrame = Frame(channel, 1200);
    }

    private void Activate(RendezvousSession session, SessionSide side, IPEndPoint from)
    {
        var buffer = new byte[StunConstants.MaxMessageLength];
        int length = new RelayActivateRequest(TransactionId.NewRandom(), session.Id, side.Credentials.UsernameFragment)
            .WriteTo(buffer, ConnectivityCheck.PasswordKey(side.Credentials.Password));
        int replyLength = _harness.Relay.Activate(buffer.AsSpan(0, length), from, _reply, length);
        if (!RelayActivateResponse.TryRead(_reply.AsSpan(0, replyLength), out _))
        {
            throw new InvalidOperationException("activation refused");
        }
    }

    private static byte[] Frame(ushort channel, int payload)
    {
        var frame = new byte[4 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(frame, channel);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload);
        return frame;
    }

    [Benchmark(Baseline = true, Description = "Binding request, handler")]
    public void Binding() => _harness.Handler.Handle(_binding, _alice, _reply, _harness.Sender);

    [Benchmark(Description = "relay forward, 104-byte frame")]
    public bool ForwardSmall() => _harness.Forwarder.TryForward(_smallFrame, _aliceAddress, _harness.Sender);

    [Benchmark(Description = "relay forward, 1204-byte frame")]
    public bool ForwardLarge() => _harness.Forwarder.TryForward(_largeFrame, _aliceAddress, _harness.Sender);

    [Benchmark(Description = "relay drop, not a session peer")]
    public bool DropForeign() => _harness.Forwarder.TryForward(_smallFrame, _malloryAddress, _harness.Sender);
}
