using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Stun;

namespace Punch.Core.Tests.Punching;

/// <summary>A datagram on its way through the <see cref="SimulatedNetwork"/>.</summary>
internal sealed record Packet(IPEndPoint From, IPEndPoint To, byte[] Datagram, DateTimeOffset DeliverAt);

/// <summary>What one simulated peer did, in order, with the fake time it happened at.</summary>
internal sealed class SimulatedPeer(IPEndPoint address, PunchSession session, SimulatedNat? nat = null)
{
    /// <summary>The main socket (number 0); extra socket n is at the next ports, <see cref="SocketEndPoint"/>.</summary>
    public IPEndPoint Address { get; } = address;
    public PunchSession Session { get; } = session;

    /// <summary>The NAT in front of the peer, or null when its address is public.</summary>
    public SimulatedNat? Nat { get; } = nat;

    /// <summary>How many extra sockets the session asked for (<see cref="OpenSockets"/>).</summary>
    public int ExtraSockets { get; set; }

    public IPEndPoint SocketEndPoint(int socket) => new(Address.Address, Address.Port + socket);

    /// <summary>The socket at <paramref name="endPoint"/>, or null when it is not one of this peer's open sockets.</summary>
    public int? SocketAt(IPEndPoint endPoint) =>
        endPoint.Address.Equals(Address.Address) && endPoint.Port - Address.Port is var socket && socket >= 0 && socket <= ExtraSockets ? socket : null;
    public List<(DateTimeOffset At, PunchAction Action)> Actions { get; } = [];

    /// <summary>Everything it sends is lost (the peer went away, or its NAT dropped the mapping).</summary>
    public bool Silent { get; set; }

    public DateTimeOffset? LastReceivedAt { get; set; }

    public IEnumerable<(DateTimeOffset At, T Action)> All<T>() where T : PunchAction =>
        Actions.Where(a => a.Action is T).Select(a => (a.At, (T)a.Action));

    public (DateTimeOffset At, T Action)? FirstOrNull<T>() where T : PunchAction =>
        All<T>().Select(a => ((DateTimeOffset, T)?)a).FirstOrDefault();

    /// <summary>The connectivity checks it sent (requests, not answers).</summary>
    public IEnumerable<(DateTimeOffset At, SendDatagram Action)> Checks() => All<SendDatagram>().Where(a => IsRequest(a.Action.Datagram));

    /// <summary>Times at which it sent a connectivity check (a request, not an answer).</summary>
    public IEnumerable<DateTimeOffset> CheckTimes(DateTimeOffset? until = null) =>
        Checks().Where(a => until is null || a.At <= until).Select(a => a.At);

    public static bool IsRequest(byte[] datagram) => StunMessage.TryParse(datagram, out var message) && message.Type.Class == StunClass.Request;
}

/// <summary>
/// A tiny deterministic network for <see cref="PunchSession"/>s: a fake clock, a fixed one-way
/// latency, delivery by destination endpoint, and hooks for loss and address rewriting. Nothing
/// touches a socket; endpoints are just values.
/// </summary>
internal sealed class SimulatedNetwork
{
    private readonly List<SimulatedPeer> _peers = [];
    private readonly PriorityQueue<Packet, (DateTimeOffset, long)> _inFlight = new();
    private long _sequence;

    public FakeTimeProvider Time { get; } = new();
    public DateTimeOffset Start { get; }
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(15);
    public PunchOptions Options { get; init; } = new();

    /// <summary>Decides whether a packet is lost; nothing is by default.</summary>
    public Func<Packet, bool> Loses { get; set; } = _ => false;

    /// <summary>Changes a packet on the way (a NAT rewriting the source, say); identity by default.</summary>
    public Func<Packet, Packet> Rewrites { get; set; } = packet => packet;

    public SimulatedNetwork() => Start = Time.GetUtcNow();

    public TimeSpan Now => Time.GetUtcNow() - Start;

    /// <summary>A peer whose main socket is at <paramref name="address"/>, behind <paramref name="nat"/> if any; <paramref name="random"/> seeds its port prediction.</summary>
    public SimulatedPeer AddPeer(IPEndPoint address, PunchSetup setup, SimulatedNat? nat = null, Random? random = null)
    {
        var peer = new SimulatedPeer(address, new PunchSession(setup, Options, Time, random), nat);
        _peers.Add(peer);
        return peer;
    }

    public void RunFor(TimeSpan duration) => RunUntil(() => false, duration);

    /// <summary>Delivers packets and fires timers in time order until <paramref name="done"/> or <paramref name="limit"/> has passed.</summary>
    public void RunUntil(Func<bool> done, TimeSpan limit)
    {
        var end = Time.GetUtcNow() + limit;
        int eventsWithoutProgress = 0;
        while (!done())
        {
            var now = Time.GetUtcNow();
            var next = end;
            if (_inFlight.TryPeek(out var packet, out _) && packet.DeliverAt < next)
            {
                next = packet.DeliverAt;
            }

            foreach (var peer in _peers)
            {
                if (peer.Session.NextTimerDue() is { } due && now + due < next)
                {
                    next = now + due;
                }
            }

            if (next >= end && !(next == end && HasWorkAt(end)))
            {
                Time.SetUtcNow(end);
                return;
            }

            if (next > now)
            {
                Time.Advance(next - now);
                eventsWithoutProgress = 0;
            }
            else if (++eventsWithoutProgress > 10_000)
            {
                throw new InvalidOperationException($"At {Now} the sessions keep asking to run now without doing anything (busy loop).");
            }

            DeliverDuePackets();
            FireDueTimers();
        }
    }

    private bool HasWorkAt(DateTimeOffset at) =>
        (_inFlight.TryPeek(out var packet, out _) && packet.DeliverAt <= at)
        || _peers.Any(p => p.Session.NextTimerDue() is { } due && Time.GetUtcNow() + due <= at);

    private void DeliverDuePackets()
    {
        var now = Time.GetUtcNow();
        while (_inFlight.TryPeek(out var packet, out _) && packet.DeliverAt <= now)
        {
            _inFlight.Dequeue();
            if (Route(packet) is not var (receiver, socket))
            {
                continue; // nobody at that address, or a NAT dropped it
            }

            receiver.LastReceivedAt = now;
            receiver.Session.OnDatagram(socket, packet.From, packet.Datagram, out var actions);
            Carry(receiver, actions);
        }
    }

    /// <summary>The peer and socket a packet reaches: through the NAT owning its destination address, or straight to a peer without one.</summary>
    private (SimulatedPeer Peer, int Socket)? Route(Packet packet)
    {
        foreach (var peer in _peers)
        {
            var inside = peer.Nat is null ? packet.To
                : peer.Nat.PublicAddress.Equals(packet.To.Address) ? peer.Nat.Inbound(packet.From, packet.To.Port)
                : null;
            if (inside is not null && peer.SocketAt(inside) is { } socket)
            {
                return (peer, socket);
            }
        }

        return null;
    }

    private void FireDueTimers()
    {
        foreach (var peer in _peers)
        {
            if (peer.Session.NextTimerDue() is { } due && due <= TimeSpan.Zero)
            {
                Carry(peer, peer.Session.OnTimer());
            }
        }
    }

    private void Carry(SimulatedPeer sender, IReadOnlyList<PunchAction> actions)
    {
        var now = Time.GetUtcNow();
        foreach (var action in actions)
        {
            sender.Actions.Add((now, action));
            if (action is OpenSockets open)
            {
                sender.ExtraSockets += open.Count;
            }
            else if (action is SendDatagram send && !sender.Silent)
            {
                if (send.Socket < 0 || send.Socket > sender.ExtraSockets)
                {
                    throw new InvalidOperationException($"At {Now} the session sent from socket {send.Socket} but had opened only {sender.ExtraSockets} extra socket(s).");
                }

                var inside = sender.SocketEndPoint(send.Socket);
                var from = sender.Nat?.Outbound(inside, send.To) ?? inside;
                var packet = Rewrites(new Packet(from, send.To, send.Datagram, now + Latency));
                if (!Loses(packet))
                {
                    _inFlight.Enqueue(packet, (packet.DeliverAt, _sequence++));
                }
            }
        }
    }
}

/// <summary>Two peers set up as a rendezvous server would introduce them.</summary>
internal static class PeerPair
{
    public static readonly IPEndPoint AliceAddress = new(IPAddress.Parse("198.18.0.1"), 1000);
    public static readonly IPEndPoint BobAddress = new(IPAddress.Parse("198.18.0.2"), 2000);
    /// <summary>Addresses where nobody listens.</summary>
    public static readonly IPEndPoint[] Nowhere =
    [
        new(IPAddress.Parse("198.18.0.99"), 9),
        new(IPAddress.Parse("198.18.0.98"), 8),
        new(IPAddress.Parse("198.18.0.97"), 7),
        new(IPAddress.Parse("198.18.0.96"), 6),
    ];

    public static readonly IceCredentials AliceCredentials = new("aufr", "alice-password-0123");
    public static readonly IceCredentials BobCredentials = new("bufr", "bob-password-456789");

    public static readonly SessionId Session = new(42);

    /// <summary>Alice is controlling and knows Bob at <paramref name="bobCandidates"/>; Bob knows Alice at <paramref name="aliceCandidates"/>.</summary>
    public static (SimulatedPeer Alice, SimulatedPeer Bob) Add(SimulatedNetwork network, IEnumerable<IPEndPoint> bobCandidates, IEnumerable<IPEndPoint> aliceCandidates)
    {
        var alice = network.AddPeer(AliceAddress, AliceSetup(bobCandidates));
        var bob = network.AddPeer(BobAddress, BobSetup(aliceCandidates));
        return (alice, bob);
    }

    public static PunchSetup AliceSetup(IEnumerable<IPEndPoint> bobCandidates) => Setup(alice: true, Candidates(bobCandidates));

    public static PunchSetup BobSetup(IEnumerable<IPEndPoint> aliceCandidates) => Setup(alice: false, Candidates(aliceCandidates));

    /// <summary>Alice's or Bob's side of the introduction; Alice is controlling unless <paramref name="controlling"/> says otherwise.</summary>
    public static PunchSetup Setup(bool alice, IReadOnlyList<Candidate> remoteCandidates, NatMapping local = NatMapping.Unknown, NatMapping remote = NatMapping.Unknown, bool? controlling = null,
        NatBehaviour localFiltering = NatBehaviour.Unknown, NatBehaviour remoteFiltering = NatBehaviour.Unknown) =>
        alice
            ? new(Session, controlling ?? true, AliceCredentials, BobCredentials, remoteCandidates, local, remote, localFiltering, remoteFiltering)
            : new(Session, controlling ?? false, BobCredentials, AliceCredentials, remoteCandidates, local, remote, localFiltering, remoteFiltering);

    private static List<Candidate> Candidates(IEnumerable<IPEndPoint> endPoints) => [.. endPoints.Select(e => new Candidate(CandidateKind.ServerReflexive, e))];
}
