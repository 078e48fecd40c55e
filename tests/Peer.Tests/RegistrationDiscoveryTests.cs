using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Hosting;
using Punch.Peer.Output;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Tests;

/// <summary>
/// How the registration waits for NAT discovery, on a fake clock: at most <see cref="RegistrationDiscovery.Wait"/>,
/// with what discovery found in the Refresh that completes it; a later result goes to the server at once.
/// </summary>
public sealed class RegistrationDiscoveryTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 3478);
    private static readonly PeerIdentity Alice = new("home", "alice");
    private static readonly NatReport PortRestricted = new(NatBehaviour.AddressAndPortDependent, Hairpinning: false, PortPreserved: true);

    private readonly FakeTimeProvider _time = new();
    private readonly ServerSide _server = new();
    private readonly List<PeerEvent> _events = [];
    private readonly RendezvousClient _client;
    private readonly Registration _registration;

    public RegistrationDiscoveryTests()
    {
        _client = new RendezvousClient(Server, _server, _time);
        _registration = new Registration(_client, Alice, [], _time, new CallbackSink(_events.Add));
        _registration.ExpectNatDiscovery(RegistrationDiscovery.Wait);
        _registration.RegisterAsync();
    }

    [Fact]
    public void Discovery_within_the_bound_completes_the_registration_with_one_refresh_carrying_it()
    {
        Answer(_server.Requests[^1]);
        Run(TimeSpan.FromSeconds(0.5));
        Assert.Empty(_events.OfType<RegisteredEvent>());

        _registration.OnNatDiscovered(PortRestricted, []);

        var refresh = Assert.Single(_server.Refreshes);
        Assert.Equal(PortRestricted, refresh.Nat);
        Answer(_server.Requests[^1]);
        Assert.Equal(PortRestricted, Assert.Single(_events.OfType<RegisteredEvent>()).Nat);
    }

    [Fact]
    public void Without_discovery_the_registration_completes_at_the_bound_and_the_late_result_is_refreshed_at_once()
    {
        Answer(_server.Requests[^1]);
        Run(RegistrationDiscovery.Wait - TimeSpan.FromMilliseconds(100));
        Assert.Empty(_events.OfType<RegisteredEvent>());
        Run(TimeSpan.FromMilliseconds(150));
        // Nothing measured (no probe port), nothing found: done without a refresh, as before discovery existed.
        Assert.Equal(default, Assert.Single(_events.OfType<RegisteredEvent>()).Nat);
        Assert.Empty(_server.Refreshes);

        _registration.OnNatDiscovered(PortRestricted, []);
        Run(TimeSpan.FromMilliseconds(50));

        Assert.Equal(PortRestricted, Assert.Single(_server.Refreshes).Nat);
        Assert.Equal(PortRestricted, _events.OfType<NatDiscoveredEvent>().Single().Nat);
    }

    [Fact]
    public void A_register_after_discovery_carries_the_report_and_needs_no_refresh()
    {
        _registration.OnNatDiscovered(PortRestricted, []);
        var first = RegisterRequest.TryRead(_server.Requests[^1], out var register) ? register : default;
        Assert.Equal(default, first.Nat); // sent before discovery finished

        Answer(_server.Requests[^1]);
        Answer(_server.Requests[^1]); // the refresh that tells the server

        Assert.Equal(PortRestricted, Assert.Single(_server.Refreshes).Nat);
        Assert.Single(_events.OfType<RegisteredEvent>());
    }

    private void Run(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromMilliseconds(50))
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            _registration.OnTimer();
            _client.OnTimer();
        }
    }

    private void Answer(byte[] request)
    {
        Assert.True(StunMessage.TryParse(request, out var message));
        var answer = Wire.Encode(new RegistrationResponse(message.Type.Method, message.TransactionId, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000), TimeSpan.FromSeconds(30)).WriteTo);
        Assert.True(_client.TryHandleResponse(answer));
    }

    private sealed class ServerSide : IDatagramSender
    {
        public List<byte[]> Requests { get; } = [];

        public List<RefreshRequest> Refreshes { get; } = [];

        public void Send(IPEndPoint to, ReadOnlySpan<byte> datagram)
        {
            Requests.Add(datagram.ToArray());
            if (RefreshRequest.TryRead(datagram, out var refresh))
            {
                Refreshes.Add(refresh);
            }
        }
    }
}
