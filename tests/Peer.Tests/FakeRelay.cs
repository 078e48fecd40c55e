using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Peer.Tests;

/// <summary>
/// The relay <see cref="FakeRendezvous"/> plays with <c>offerRelay</c>, on its main socket: each
/// introduction gets a channel; RelayActivate is answered after checking its MESSAGE-INTEGRITY with
/// the sender's session password; frames of that channel are forwarded between the two activated
/// endpoints only, never anywhere else.
/// </summary>
internal sealed class FakeRelay(Socket socket)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SessionId, Allocation> _allocations = [];
    private ushort _nextChannel = 0x4000;
    private long _relayedFrames;

    /// <summary>Every RelayActivate request that arrived, valid or not.</summary>
    public ConcurrentQueue<RelayActivateRequest> Activations { get; } = new();

    /// <summary>
    /// The peer whose first <see cref="UnansweredActivations"/> RelayActivate requests are recorded
    /// (the relay forwards to it) but not answered, as when the answers are lost: it then receives
    /// relayed frames while its own relay end is still activating.
    /// </summary>
    public string? SlowPeer { get; set; }

    public int UnansweredActivations { get; set; } = 3;

    /// <summary>Challenge every RelayActivate without <see cref="FakeRendezvous.Cookie"/>, as the real relay does one from a new source.</summary>
    public bool RequireAddressProof { get; set; }

    public int Challenges;

    /// <summary>Answer RelayActivate with 486, as a relay at its allocation cap does.</summary>
    public bool Refuse { get; set; }

    public long RelayedFrames => Interlocked.Read(ref _relayedFrames);

    /// <summary>A channel for a new session of the two named sides.</summary>
    public ushort Allocate(SessionId id, (string Name, IceCredentials Credentials) a, (string Name, IceCredentials Credentials) b)
    {
        lock (_gate)
        {
            ushort channel = _nextChannel++;
            _allocations[id] = new Allocation(
                channel,
                new Dictionary<string, string> { [a.Credentials.UsernameFragment] = a.Credentials.Password, [b.Credentials.UsernameFragment] = b.Credentials.Password },
                new Dictionary<string, string> { [a.Credentials.UsernameFragment] = a.Name, [b.Credentials.UsernameFragment] = b.Name });
            return channel;
        }
    }

    /// <summary>Handles a frame or a RelayActivate; false for anything else.</summary>
    public bool TryHandle(IPEndPoint from, byte[] datagram)
    {
        if (datagram.Length >= 4 && (datagram[0] & 0xC0) == 0x40)
        {
            Forward(from, datagram);
            return true;
        }

        if (RelayActivateRequest.TryRead(datagram, out var activate))
        {
            OnActivate(from, datagram, activate);
            return true;
        }

        return false;
    }

    /// <summary>Stops relaying the session and tells both activated sides why, as the real relay does at a limit.</summary>
    public void Close(SessionId sessionId, string reason)
    {
        List<IPEndPoint> sides;
        lock (_gate)
        {
            if (!_allocations.TryGetValue(sessionId, out var allocation))
            {
                return;
            }

            sides = [.. allocation.Activated.Values];
            allocation.Activated.Clear();
        }

        foreach (var side in sides)
        {
            FakeRendezvous.Reply(socket, side, new RelayClosedIndication(TransactionId.NewRandom(), sessionId, reason).WriteTo);
        }
    }

    private void Forward(IPEndPoint from, byte[] datagram)
    {
        ushort channel = (ushort)((datagram[0] << 8) | datagram[1]);
        IPEndPoint? to = null;
        lock (_gate)
        {
            var allocation = _allocations.Values.FirstOrDefault(r => r.Channel == channel);
            if (allocation is not null && allocation.Activated.ContainsValue(from))
            {
                to = allocation.Activated.FirstOrDefault(side => !side.Value.Equals(from)).Value;
            }
        }

        if (to is not null)
        {
            Interlocked.Increment(ref _relayedFrames);
            try
            {
                socket.SendTo(datagram, SocketFlags.None, to);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private void OnActivate(IPEndPoint from, byte[] datagram, RelayActivateRequest request)
    {
        Activations.Enqueue(request);
        FakeRendezvous.MessageWriter? answer;
        lock (_gate)
        {
            if (!_allocations.TryGetValue(request.SessionId, out var allocation) || !allocation.Passwords.TryGetValue(request.UsernameFragment, out string? password))
            {
                answer = new ErrorResponse(PunchMethod.RelayActivate, request.TransactionId, PunchErrorCode.NotRegistered, "no such session").WriteTo;
            }
            else if (!RelayActivateRequest.Verify(datagram, ConnectivityCheck.PasswordKey(password)))
            {
                answer = new ErrorResponse(PunchMethod.RelayActivate, request.TransactionId, PunchErrorCode.Unauthenticated, "bad integrity").WriteTo;
            }
            else if (RequireAddressProof && request.Cookie != FakeRendezvous.Cookie)
            {
                Interlocked.Increment(ref Challenges);
                answer = new AddressChallenge(PunchMethod.RelayActivate, request.TransactionId, FakeRendezvous.Cookie, "update punch").WriteTo;
            }
            else if (Refuse)
            {
                answer = new ErrorResponse(PunchMethod.RelayActivate, request.TransactionId, PunchErrorCode.AllocationQuotaReached, "relay full").WriteTo;
            }
            else
            {
                allocation.Activated[request.UsernameFragment] = from;
                bool slow = allocation.Names[request.UsernameFragment] == SlowPeer && allocation.Unanswered++ < UnansweredActivations;
                answer = slow ? null : new RelayActivateResponse(request.TransactionId, request.SessionId, allocation.Channel, from, TimeSpan.FromSeconds(60)).WriteTo;
            }
        }

        if (answer is not null)
        {
            FakeRendezvous.Reply(socket, from, answer);
        }
    }

    /// <summary>One session's relay: its channel, each side's password and name by ufrag, and where each activated side is.</summary>
    private sealed record Allocation(ushort Channel, Dictionary<string, string> Passwords, Dictionary<string, string> Names)
    {
        public Dictionary<string, IPEndPoint> Activated { get; } = [];

        public int Unanswered { get; set; }
    }
}
