using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Protocol;
using Punch.Peer.Hosting;
using Punch.Peer.Output;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Tests;

/// <summary>
/// A peer registered over IPv4 learns its public IPv6 endpoint from the server's announced IPv6 endpoint (a Binding there, on a
/// fake clock) and offers it in a Register as a server-reflexive candidate; the registration waits for it only within its bound.
/// </summary>
public sealed class OtherFamilyRegistrationTests
{
    private static readonly IPEndPoint Server = IPEndPoint.Parse("203.0.113.7:3478");
    private static readonly IPEndPoint ServerV6 = IPEndPoint.Parse("[2001:db8::7]:3478");
    private static readonly IPEndPoint InsideV6 = IPEndPoint.Parse("[fd00:1::20]:5000");
    private static readonly IPEndPoint OutsideV6 = IPEndPoint.Parse("[2001:db8:9::20]:5000");
    private static readonly PeerIdentity Alice = new("home", "alice");

    private readonly FakeTimeProvider _time = new();
    private readonly ServerSide _server = new();
    private readonly List<PeerEvent> _events = [];
    private readonly RendezvousClient _client;
    private Registration? _registration;

    public OtherFamilyRegistrationTests() => _client = new RendezvousClient(Server, _server, _time);

    [Fact]
    public void The_public_ipv6_endpoint_seen_by_the_servers_ipv6_endpoint_is_offered_with_the_next_register()
    {
        var registration = Start([IPEndPoint.Parse("192.168.1.20:5000"), InsideV6]);
        AnswerRegister(ServerV6);

        var binding = Assert.Single(_server.Sent, s => s.To.Equals(ServerV6));
        Assert.True(BindingRequest.TryRead(binding.Datagram, out var request));
        Assert.Empty(_events.OfType<RegisteredEvent>()); // waits for the answer, within its bound
        Assert.True(_client.TryHandleResponse(ServerV6, Wire.Encode(d => new BindingResponse(request.TransactionId, OutsideV6).WriteTo(d))));

        Assert.True(RegisterRequest.TryRead(_server.Sent[^1].Datagram, out var renewal));
        Assert.Equal(OutsideV6, renewal.OtherFamilyReflexive);
        AnswerRegister(ServerV6);
        Assert.Equal(OutsideV6, Assert.Single(_events.OfType<RegisteredEvent>()).OtherFamilyPublicEndPoint);
        Assert.Equal(OutsideV6, registration.OtherFamilyPublicEndPoint);
        Assert.Single(_server.Sent, s => s.To.Equals(ServerV6)); // probed once, not again on the renewal's answer
    }

    [Fact]
    public void A_silent_ipv6_endpoint_delays_the_registration_at_most_the_bound()
    {
        Start([IPEndPoint.Parse("192.168.1.20:5000"), InsideV6]);
        AnswerRegister(ServerV6);
        Run(RegistrationDiscovery.Wait - TimeSpan.FromMilliseconds(100));
        Assert.Empty(_events.OfType<RegisteredEvent>());
        Run(TimeSpan.FromMilliseconds(150));
        Assert.Null(Assert.Single(_events.OfType<RegisteredEvent>()).OtherFamilyPublicEndPoint);
    }

    [Fact]
    public void Without_an_address_of_that_family_no_binding_is_sent_and_nothing_waits()
    {
        Start([IPEndPoint.Parse("192.168.1.20:5000")]);
        AnswerRegister(ServerV6);
        Assert.DoesNotContain(_server.Sent, s => s.To.Equals(ServerV6));
        Assert.Single(_events.OfType<RegisteredEvent>());
    }

    private Registration Start(IPEndPoint[] hosts)
    {
        var registration = new Registration(_client, Alice, [.. hosts], _time, new CallbackSink(_events.Add));
        registration.RegisterAsync();
        _registration = registration;
        return registration;
    }

    private void Run(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromMilliseconds(50))
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            _registration!.OnTimer();
            _client.OnTimer();
        }
    }

    private void AnswerRegister(IPEndPoint otherFamily)
    {
        var register = _server.Sent.Last(s => s.To.Equals(Server)).Datagram;
        Assert.True(RegisterRequest.TryRead(register, out var request));
        var answer = Wire.Encode(new RegistrationResponse(PunchMethod.Register, request.TransactionId, IPEndPoint.Parse("198.51.100.7:40000"), TimeSpan.FromSeconds(30), null, null, otherFamily).WriteTo);
        Assert.True(_client.TryHandleResponse(answer));
    }

    private sealed class ServerSide : ISharedSocketSender
    {
        public List<(IPEndPoint To, byte[] Datagram)> Sent { get; } = [];

        public void Send(IPEndPoint to, ReadOnlySpan<byte> datagram) => Sent.Add((to, datagram.ToArray()));
    }
}
