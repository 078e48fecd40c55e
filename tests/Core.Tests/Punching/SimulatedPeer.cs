using System.Net;
using Punch.Core.Punching;
using Punch.Core.Stun;

namespace Punch.Core.Tests.Punching;

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
