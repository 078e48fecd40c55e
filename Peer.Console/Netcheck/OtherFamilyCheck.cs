using System.Net;
using System.Net.Sockets;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Peer.Netcheck;

/// <summary>
/// IPv6 reachability for a netcheck whose <c>--server</c> is IPv4 (as <c>tailscale netcheck</c> reports both families): the IPv6
/// endpoint is the one the server announces (a Binding with <see cref="PunchAttributeType.OtherFamilyQuery"/>, answered by a Punch
/// server with <c>Rendezvous:PublicAddressV6</c>) or else the AAAA record of the server's name; then one Binding over IPv6 says
/// whether it answers and which public IPv6 address it saw. Bounded: each exchange retransmits 250 ms doubling, 4 sends (3.75 s).
/// </summary>
public static class OtherFamilyCheck
{
    private const int Attempts = 4;
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);

    /// <summary>What was checked: <paramref name="Server"/> the IPv6 endpoint asked, <paramref name="PublicEndPoint"/> what it saw (null: no answer).</summary>
    public sealed record Result(IPEndPoint Server, IPEndPoint? PublicEndPoint);

    /// <summary>Null when there was nothing to check: the server is IPv6 already (discovery checked it), or no IPv6 endpoint of it is known.</summary>
    public static async Task<Result?> RunAsync(IPEndPoint server, string? serverName, CancellationToken cancellationToken)
    {
        if (server.AddressFamily != AddressFamily.InterNetwork || !Socket.OSSupportsIPv6)
        {
            return null;
        }

        var announced = await ExchangeAsync(server, new BehaviourRequest(TransactionId.NewRandom(), AsksOtherFamily: true), cancellationToken);
        var target = announced?.OtherFamily ?? await ResolveIpv6Async(serverName, server.Port, cancellationToken);
        if (target is null)
        {
            return null;
        }

        var seen = await ExchangeAsync(target, new BehaviourRequest(TransactionId.NewRandom()), cancellationToken);
        return new Result(target, seen?.Mapped);
    }

    private static async Task<IPEndPoint?> ResolveIpv6Async(string? name, int port, CancellationToken cancellationToken)
    {
        if (name is null || IPAddress.TryParse(name, out _))
        {
            return null;
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(name, AddressFamily.InterNetworkV6, cancellationToken);
            return addresses.FirstOrDefault(a => !a.IsIPv4MappedToIPv6) is { } address ? new IPEndPoint(address, port) : null;
        }
        catch (SocketException)
        {
            return null; // No AAAA record (or no resolver): nothing to check.
        }
    }

    /// <summary>One Binding exchange from a fresh socket of the destination's family; null when nothing usable answered.</summary>
    private static async Task<BehaviourResponse?> ExchangeAsync(IPEndPoint to, BehaviourRequest request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(to.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var datagram = new byte[StunConstants.MaxMessageLength];
        int length = request.WriteTo(datagram);
        var buffer = new byte[2048];
        var wait = FirstWait;
        var any = new IPEndPoint(to.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        try
        {
            socket.Bind(any);
            for (int attempt = 0; attempt < Attempts; attempt++, wait *= 2)
            {
                await socket.SendToAsync(datagram.AsMemory(0, length), SocketFlags.None, to, cancellationToken);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(wait);
                try
                {
                    while (true)
                    {
                        var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, timeout.Token);
                        if (to.Equals(received.RemoteEndPoint) && BehaviourResponse.TryRead(buffer.AsSpan(0, received.ReceivedBytes), out var response)
                            && response.TransactionId == request.TransactionId)
                        {
                            return response;
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // This send went unanswered: the next one waits twice as long.
                }
            }
        }
        catch (SocketException)
        {
            // No route of that family (no IPv6 on this host), or an ICMP error: unreachable.
        }

        return null;
    }
}
