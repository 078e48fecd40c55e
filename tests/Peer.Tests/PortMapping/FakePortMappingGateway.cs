using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Punch.Core.PortMapping;

namespace Punch.Peer.Tests.PortMapping;

/// <summary>
/// A router's PCP and NAT-PMP service on a real UDP socket on loopback (port 5351's stand-in, any free port): grants
/// MAP requests from <see cref="ExternalAddress"/> (a documentation range, as the lab's internet), keeps the
/// mappings, deletes on lifetime 0. <see cref="Speaks"/> picks what it answers; <see cref="HostileFirst"/> sends
/// garbage, a wrong nonce and a wrong internal port before each real answer.
/// </summary>
internal sealed class FakePortMappingGateway : IDisposable
{
    public enum Protocols { PcpAndNatPmp, NatPmpOnly, Silent }

    public static readonly IPAddress DocumentationAddress = IPAddress.Parse("203.0.113.5");
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public FakePortMappingGateway(IPAddress address, Protocols speaks = Protocols.PcpAndNatPmp)
    {
        Speaks = speaks;
        _socket.Bind(new IPEndPoint(address, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>What the router says its external address is; a peer test sets loopback so checks to the mapping stay on this machine.</summary>
    public IPAddress ExternalAddress { get; set; } = DocumentationAddress;
    public Protocols Speaks { get; set; }
    public bool HostileFirst { get; set; }

    /// <summary>Granted lifetime in seconds (a router may grant less than asked).</summary>
    public uint GrantSeconds { get; set; } = 3600;

    /// <summary>Internal port → external port, as the router holds them now.</summary>
    public ConcurrentDictionary<ushort, ushort> Mappings { get; } = new();

    /// <summary>MAP requests with a non-zero lifetime, per internal port (the first one and its renewals).</summary>
    public ConcurrentDictionary<ushort, int> MapRequests { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    private async Task LoopAsync()
    {
        var buffer = new byte[1100];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            if (Speaks != Protocols.Silent)
            {
                Answer(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), received.RemoteEndPoint);
            }
        }
    }

    private void Answer(byte[] request, EndPoint from)
    {
        var reply = new byte[Pcp.MaxMessageLength];
        if (PcpMapRequest.TryRead(request, out var map))
        {
            if (Speaks == Protocols.NatPmpOnly)
            {
                // RFC 6887 §9: a NAT-PMP-only server answers version 2 with its own version 0 and UNSUPP_VERSION.
                Send([0, 0x80, 0, 1, 0, 0, 0, 0], from);
                return;
            }

            ushort external = Map(map.InternalPort, map.SuggestedExternalPort, map.LifetimeSeconds);
            uint lifetime = map.LifetimeSeconds == 0 ? 0 : Math.Min(GrantSeconds, map.LifetimeSeconds);
            if (HostileFirst)
            {
                Send([2, 0x81, 0, 0, 1, 2, 3], from); // short: malformed
                var wrongNonce = new PcpMapResponse(new PcpNonce(map.Nonce.High ^ 1, map.Nonce.Low), MappedTransport.Udp, PcpResultCode.Success, lifetime, 1, map.InternalPort, 1, IPAddress.Parse("198.51.100.66"));
                Send(reply.AsSpan(0, wrongNonce.WriteTo(reply)).ToArray(), from);
            }

            var response = new PcpMapResponse(map.Nonce, MappedTransport.Udp, PcpResultCode.Success, lifetime, 1, map.InternalPort, external, ExternalAddress);
            Send(reply.AsSpan(0, response.WriteTo(reply)).ToArray(), from);
        }
        else if (request.Length == NatPmp.ExternalAddressRequestLength && request[0] == NatPmp.Version && request[1] == NatPmp.ExternalAddressOpcode)
        {
            if (HostileFirst)
            {
                Send([0, 0x80, 0], from);
            }

            var response = new NatPmpExternalAddressResponse(NatPmpResultCode.Success, 1, ExternalAddress);
            Send(reply.AsSpan(0, response.WriteTo(reply)).ToArray(), from);
        }
        else if (NatPmpMappingRequest.TryRead(request, out var natPmp))
        {
            ushort external = Map(natPmp.InternalPort, natPmp.SuggestedExternalPort, natPmp.LifetimeSeconds);
            uint lifetime = natPmp.LifetimeSeconds == 0 ? 0 : Math.Min(GrantSeconds, natPmp.LifetimeSeconds);
            if (HostileFirst)
            {
                var wrongPort = new NatPmpMappingResponse(MappedTransport.Udp, NatPmpResultCode.Success, 1, (ushort)(natPmp.InternalPort + 1), 1, lifetime);
                Send(reply.AsSpan(0, wrongPort.WriteTo(reply)).ToArray(), from);
            }

            var response = new NatPmpMappingResponse(MappedTransport.Udp, NatPmpResultCode.Success, 1, natPmp.InternalPort, external, lifetime);
            Send(reply.AsSpan(0, response.WriteTo(reply)).ToArray(), from);
        }
    }

    private ushort Map(ushort internalPort, ushort suggested, uint lifetime)
    {
        if (lifetime == 0)
        {
            Mappings.TryRemove(internalPort, out _);
            return 0;
        }

        MapRequests.AddOrUpdate(internalPort, 1, (_, n) => n + 1);
        return Mappings.GetOrAdd(internalPort, _ => suggested != 0 ? suggested : (ushort)(internalPort + 10000 > ushort.MaxValue ? 40000 : internalPort + 10000));
    }

    private void Send(byte[] datagram, EndPoint to)
    {
        try
        {
            _socket.SendTo(datagram, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
