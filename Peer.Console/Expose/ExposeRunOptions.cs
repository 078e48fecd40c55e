using System.Net;
using Punch.Core.Protocol;

namespace Punch.Peer.Expose;

/// <summary>Everything <c>punch expose --public-port</c> runs with, already checked by <see cref="ExposeCommand"/>.</summary>
public sealed record ExposeRunOptions
{
    /// <summary>The server's rendezvous (<c>--server</c>, UDP, as for <c>punch connect</c>); the control port is on the same address.</summary>
    public required IPEndPoint Server { get; init; }
    /// <summary><c>--control-port</c>: the server's expose control port (TCP); null: ask the rendezvous (<see cref="ControlPortLookup"/>).</summary>
    public int? ControlPort { get; init; }
    public required PeerIdentity Identity { get; init; }
    /// <summary>HOST:PORT of the local service as given, dialled for every visitor.</summary>
    public required string LocalHost { get; init; }
    public required int LocalPort { get; init; }
    public required ushort PublicPort { get; init; }
    public string? Key { get; init; }
    public bool Json { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>First wait before connecting again after the control connection was lost; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan FirstReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    public string LocalText => $"{LocalHost}:{LocalPort}";
}
