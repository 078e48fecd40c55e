using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Discovery;
using Punch.Core.Stun;

namespace Punch.Core.Tests.Discovery;

/// <summary>
/// Host sockets, one NAT and an RFC 5780 server (answering with Core's own message types, as the
/// rendezvous does), all in memory on a fake clock: drives a <see cref="NatDiscovery"/> to completion.
/// </summary>
internal sealed class SimulatedStunPath(NatModel nat, bool serverHasAlternate = true, int dropFirst = 0)
{
    public static readonly IPAddress HostAddress = IPAddress.Parse("192.168.1.10");
    public static readonly IPAddress PublicAddress = IPAddress.Parse("198.51.100.1");
    public static readonly IPEndPoint Primary = IPEndPoint.Parse("203.0.113.1:3478");
    private static readonly IPAddress AlternateAddress = IPAddress.Parse("203.0.113.2");
    private const int AlternatePort = 3479;

    private readonly Dictionary<(int Socket, string Key), Mapping> _mappings = [];
    private readonly Queue<(int Socket, IPEndPoint From, byte[] Datagram)> _toHost = new();
    private int _nextPort = 40000;
    private int _dropped;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public int Sent { get; private set; }

    public DiscoveryResult Run(DiscoveryOptions? options = null)
    {
        options ??= new DiscoveryOptions { Server = Primary };
        var locals = Enumerable.Range(0, DiscoverySockets.Count(options)).Select(i => new IPEndPoint(HostAddress, 50000 + i)).ToList();
        var discovery = new NatDiscovery(options, locals, Time);
        Deliver(discovery.Start(), locals);
        for (int step = 0; step < 10_000 && !discovery.IsComplete; step++)
        {
            if (_toHost.TryDequeue(out var arrival))
            {
                Deliver(discovery.OnDatagram(arrival.Socket, arrival.From, arrival.Datagram), locals);
                continue;
            }

            var due = discovery.NextDue!.Value;
            if (due > Time.GetUtcNow())
            {
                Time.SetUtcNow(due);
            }

            Deliver(discovery.OnTimer(), locals);
        }

        Assert.True(discovery.IsComplete, "discovery did not complete");
        return discovery.Result;
    }

    private void Deliver(IReadOnlyList<DiscoverySend> sends, List<IPEndPoint> locals)
    {
        foreach (var send in sends)
        {
            Sent++;
            if (_dropped < dropFirst)
            {
                _dropped++;
                continue;
            }

            var source = Outbound(send.Socket, locals[send.Socket], send.To);
            if (send.To.Address.Equals(PublicAddress) || (nat.IsNone && send.To.Address.Equals(HostAddress)))
            {
                // Toward our own public address: only a hairpinning NAT turns it around (RFC 4787 §6).
                if ((nat.IsNone || nat.Hairpins) && Inbound(source, send.To) is { } target)
                {
                    _toHost.Enqueue((target, source, send.Datagram));
                }

                continue;
            }

            Serve(source, send.To, send.Datagram);
        }
    }

    private void Serve(IPEndPoint from, IPEndPoint to, byte[] datagram)
    {
        if (!StunMessage.TryParse(datagram, out var message))
        {
            return;
        }

        Span<ushort> unknown = stackalloc ushort[4];
        if (BehaviourRequest.Check(message, out var request, unknown, out _) != BindingRequestCheck.Valid)
        {
            return;
        }

        bool arrivedOnAlternateAddress = to.Address.Equals(AlternateAddress);
        bool arrivedOnAlternatePort = to.Port == AlternatePort;
        var buffer = new byte[StunConstants.MaxMessageLength];
        int length;
        IPEndPoint origin;
        if (request.Change.AsksForChange && !serverHasAlternate)
        {
            length = new BindingErrorResponse(message.TransactionId, 420, "Unknown Attribute").WriteTo(buffer, 200);
            origin = to;
        }
        else
        {
            origin = new IPEndPoint(arrivedOnAlternateAddress ^ request.Change.ChangeAddress ? AlternateAddress : Primary.Address,
                arrivedOnAlternatePort ^ request.Change.ChangePort ? AlternatePort : Primary.Port);
            var other = serverHasAlternate ? new IPEndPoint(arrivedOnAlternateAddress ? Primary.Address : AlternateAddress, arrivedOnAlternatePort ? Primary.Port : AlternatePort) : null;
            length = new BehaviourResponse(message.TransactionId, from, origin, other).WriteTo(buffer, 200);
        }

        var destination = request.ResponsePort is { } port ? new IPEndPoint(from.Address, port.Port) : from;
        if (Inbound(origin, destination) is { } socket)
        {
            _toHost.Enqueue((socket, origin, buffer[..length]));
        }
    }

    private IPEndPoint Outbound(int socket, IPEndPoint local, IPEndPoint to)
    {
        if (nat.IsNone)
        {
            return local;
        }

        string key = nat.Mapping switch
        {
            NatBehaviour.EndpointIndependent => string.Empty,
            NatBehaviour.AddressDependent => to.Address.ToString(),
            _ => to.ToString(),
        };
        var now = Time.GetUtcNow();
        if (!_mappings.TryGetValue((socket, key), out var mapping) || mapping.ExpiredAt(now, nat.IdleTimeout))
        {
            int port = nat.PreservesPorts && !_mappings.Values.Any(m => m.Public.Port == local.Port) ? local.Port : _nextPort++;
            mapping = new Mapping(socket, new IPEndPoint(PublicAddress, port));
            _mappings[(socket, key)] = mapping;
        }

        mapping.Contacted.Add(to);
        mapping.LastUsed = now;
        return mapping.Public;
    }

    /// <summary>The host socket an inbound datagram reaches through the NAT's filter, or null.</summary>
    private int? Inbound(IPEndPoint from, IPEndPoint to)
    {
        if (nat.IsNone)
        {
            return to.Address.Equals(HostAddress) ? to.Port - 50000 : null;
        }

        var now = Time.GetUtcNow();
        var mapping = _mappings.Values.FirstOrDefault(m => m.Public.Equals(to) && !m.ExpiredAt(now, nat.IdleTimeout));
        bool admitted = mapping is not null && nat.Filtering switch
        {
            NatBehaviour.EndpointIndependent => true,
            NatBehaviour.AddressDependent => (nat.FiltersPerHost ? _mappings.Values.SelectMany(m => m.Contacted) : mapping.Contacted).Any(c => c.Address.Equals(from.Address)),
            _ => mapping.Contacted.Contains(from),
        };
        return admitted ? mapping!.Socket : null;
    }

    private sealed class Mapping(int socket, IPEndPoint publicEndPoint)
    {
        public int Socket { get; } = socket;
        public IPEndPoint Public { get; } = publicEndPoint;
        public HashSet<IPEndPoint> Contacted { get; } = [];
        public DateTimeOffset LastUsed { get; set; }

        public bool ExpiredAt(DateTimeOffset now, TimeSpan? idleTimeout) => idleTimeout is { } limit && now - LastUsed >= limit;
    }
}
