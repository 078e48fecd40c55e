using Punch.Server.Events;

namespace Punch.Tests.Shared;

/// <summary>
/// Produces what real peers would cause, by publishing the rendezvous's events straight into the
/// sink. Stands in until the UDP rendezvous exists; then these methods can drive real peers instead
/// and the tests keep their shape. Addresses are documentation ranges and are never contacted.
/// </summary>
public sealed class SimulatedPeers(IPunchEventSink sink, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private int _nextHost;

    public Task RegisterAsync(string network, string name)
    {
        var host = Interlocked.Increment(ref _nextHost);
        Publish(new PunchEvent
        {
            Kind = PunchEventKind.Registered,
            At = _clock.GetUtcNow(),
            Network = network,
            Peer = name,
            PublicEndpoint = $"203.0.113.{host % 250 + 1}:{40000 + host}",
            Candidates = [$"host 198.18.{host % 250}.2:5000", $"host [fd00::{host}]:5000"],
        });
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string network, string name)
    {
        Publish(new PunchEvent { Kind = PunchEventKind.Unregistered, At = _clock.GetUtcNow(), Network = network, Peer = name });
        return Task.CompletedTask;
    }

    /// <summary>Runs a session up to the point both peers punch; returns its id.</summary>
    public Task<string> StartPunchingAsync(string network, string requester, string target)
    {
        var sessionId = Guid.NewGuid().ToString("N")[..16];
        Publish(SessionEvent(PunchEventKind.ConnectRequested, network, requester, target, sessionId));
        Publish(SessionEvent(PunchEventKind.Introduced, network, requester, target, sessionId) with
        {
            Candidates = ["srflx 203.0.113.1:40001", "host 198.18.1.2:5000"],
        });
        Publish(SessionEvent(PunchEventKind.Punching, network, requester, target, sessionId));
        return Task.FromResult(sessionId);
    }

    /// <summary>Both sides report their checks and a working direct path.</summary>
    public Task CompleteDirectAsync(string network, string requester, string target, string sessionId, double elapsedMs = 42.5, double rttMs = 3.25)
    {
        foreach (var (self, other, remote) in new[] { (requester, target, "203.0.113.2:40002"), (target, requester, "203.0.113.1:40001") })
        {
            Publish(SessionEvent(PunchEventKind.ChecksSummary, network, self, other, sessionId) with { ChecksSent = 5, ChecksReceived = 4 });
            Publish(SessionEvent(PunchEventKind.PathUp, network, self, other, sessionId) with
            {
                PathKind = "direct",
                RemoteEndpoint = remote,
                ElapsedMs = elapsedMs,
                RttMs = rttMs,
            });
            // The second side's numbers differ: the session must keep the first report's.
            elapsedMs *= 2;
            rttMs *= 2;
        }
        return Task.CompletedTask;
    }

    public async Task<string> ConnectDirectAsync(string network, string requester, string target)
    {
        var sessionId = await StartPunchingAsync(network, requester, target);
        await CompleteDirectAsync(network, requester, target, sessionId);
        return sessionId;
    }

    public Task FailAsync(string network, string reporter, string other, string sessionId, string reason)
    {
        Publish(SessionEvent(PunchEventKind.Failed, network, reporter, other, sessionId) with { Reason = reason, ElapsedMs = 5000 });
        return Task.CompletedTask;
    }

    public Task CloseAsync(string network, string reporter, string other, string sessionId)
    {
        Publish(SessionEvent(PunchEventKind.Closed, network, reporter, other, sessionId) with { Reason = "peer closed" });
        return Task.CompletedTask;
    }

    private PunchEvent SessionEvent(PunchEventKind kind, string network, string peer, string other, string sessionId) => new()
    {
        Kind = kind,
        At = _clock.GetUtcNow(),
        Network = network,
        Peer = peer,
        OtherPeer = other,
        SessionId = sessionId,
    };

    private void Publish(PunchEvent punchEvent)
    {
        if (!sink.TryPublish(punchEvent))
            throw new InvalidOperationException($"The event queue refused {punchEvent.Kind} for {punchEvent.Peer}.");
    }
}
