using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Hosting;
using Punch.Peer.Output;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Tests;

/// <summary>What a registered peer does when the server says goodbye: warn, then register again with backoff, a bounded number of times.</summary>
public sealed class ServerGoodbyeTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 3478);
    private static readonly PeerIdentity Alice = new("home", "alice");

    private readonly FakeTimeProvider _time = new();
    private readonly ServerSide _server;
    private readonly List<PeerEvent> _events = [];
    private readonly RendezvousClient _client;
    private readonly Registration _registration;

    public ServerGoodbyeTests()
    {
        _server = new ServerSide(_time);
        _client = new RendezvousClient(Server, _server, _time);
        _registration = new Registration(_client, Alice, [], _time, new CallbackSink(_events.Add));
        _registration.RegisterAsync();
        AnswerLastRegister();
        Assert.Single(_events.OfType<RegisteredEvent>());
    }

    [Fact]
    public void Goodbye_warns_and_the_next_register_that_is_answered_brings_the_peer_back()
    {
        _registration.OnServerGoodbye("server is shutting down");
        Assert.Contains(_events.OfType<WarningEvent>(), w => w.Text.Contains("is shutting down", StringComparison.Ordinal));

        int triesBefore = _server.Tries;
        Run(TimeSpan.FromSeconds(0.9));
        Assert.Equal(triesBefore, _server.Tries); // The first try waits a moment: a restarting server needs it.
        Run(TimeSpan.FromSeconds(0.2));
        Assert.Equal(triesBefore + 1, _server.Tries);

        AnswerLastRegister();
        Assert.Equal(2, _events.OfType<RegisteredEvent>().Count());
    }

    [Fact]
    public void A_server_that_never_comes_back_gets_a_bounded_number_of_tries_with_growing_gaps()
    {
        int registersBefore = _server.Registers.Count;
        _registration.OnServerGoodbye(null);

        Run(TimeSpan.FromMinutes(30));

        var tries = _server.Registers.Skip(registersBefore).Select(r => r.TransactionId).Distinct().Count();
        Assert.Equal(Registration.MaxRejoinAttempts, tries);
        Assert.Contains(_events.OfType<WarningEvent>(), w => w.Text.StartsWith("gave up registering again", StringComparison.Ordinal));
        var starts = _server.Registers.Skip(registersBefore).GroupBy(r => r.TransactionId).Select(g => g.First().At).ToList();
        var gaps = starts.Zip(starts.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps.Zip(gaps.Skip(1)).All(pair => pair.Second >= pair.First), $"gaps shrink: {string.Join(", ", gaps)}");
    }

    [Fact]
    public void A_second_goodbye_while_rejoining_does_not_restart_the_count()
    {
        _registration.OnServerGoodbye(null);
        _registration.OnServerGoodbye(null);
        Assert.Single(_events.OfType<WarningEvent>());
    }

    /// <summary>Advances time in small steps, running the timers as the host would.</summary>
    private void Run(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromMilliseconds(50))
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            _registration.OnTimer();
            _client.OnTimer();
        }
    }

    private void AnswerLastRegister()
    {
        var register = _server.Registers[^1];
        var answer = Wire.Encode(new RegistrationResponse(PunchMethod.Register, register.TransactionId, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000), TimeSpan.FromSeconds(30)).WriteTo);
        Assert.True(_client.TryHandleResponse(answer));
    }

    private sealed class ServerSide(TimeProvider time) : IDatagramSender
    {
        /// <summary>Every Register sent, retransmissions included.</summary>
        public List<(TransactionId TransactionId, DateTimeOffset At)> Registers { get; } = [];

        /// <summary>Distinct Register requests (a retransmission is not a new try).</summary>
        public int Tries => Registers.Select(r => r.TransactionId).Distinct().Count();

        public void Send(IPEndPoint to, ReadOnlySpan<byte> datagram)
        {
            if (RegisterRequest.TryRead(datagram, out var register))
            {
                Registers.Add((register.TransactionId, time.GetUtcNow()));
            }
        }
    }
}
