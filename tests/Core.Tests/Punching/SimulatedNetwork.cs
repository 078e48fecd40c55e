using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Punching;

namespace Punch.Core.Tests.Punching;

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
