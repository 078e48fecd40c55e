using System.Collections.Concurrent;
using Punch.Server.Events;

namespace Punch.Tests.Shared;

/// <summary>
/// Produces what real peers would cause, by publishing the rendezvous's events straight into the
/// sink. Stands in until the UDP rendezvous exists; then these methods can drive real peers instead
/// and the tests keep their shape. Addresses are documentation ranges and are never contacted.
/// Like the real registry, it remembers each peer's endpoints and NAT mapping, so introductions carry them.
/// </summary>
public sealed class SimulatedPeers(IPunchEventSink sink, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(string Network, string Name), SimulatedPeer> _registered = new();
    private int _nextHost;

    private sealed record SimulatedPeer(string PublicEndpoint, string HostCandidate, string? NatMapping, string? NatFiltering = null);

    /// <param name="natMapping">A <see cref="Punch.Server.Storage.NatMappings"/> value the peer reports in its registration; real peers usually send null and report it in a refresh (see <see cref="ReportNatMappingAsync"/>).</param>
    public Task RegisterAsync(string network, string name, string? natMapping = null)
    {
        var host = Interlocked.Increment(ref _nextHost);
        var peer = new SimulatedPeer($"203.0.113.{host % 250 + 1}:{40000 + host}", $"198.18.{host % 250}.2:5000", natMapping);
        _registered[(network, name)] = peer;
        Publish(new PeerRegistered
        {
            At = _clock.GetUtcNow(),
            Network = network,
            Peer = name,
            PublicEndpoint = peer.PublicEndpoint,
            Candidates = [$"host {peer.HostCandidate}", $"host [fd00::{host}]:5000"],
            Nat = new NatReportText { Mapping = natMapping },
        });
        return Task.CompletedTask;
    }

    /// <summary>
    /// A refresh, as a peer sends it right after measuring its NAT against the server's probe port;
    /// a null mapping is a plain refresh that measured nothing new.
    /// </summary>
    public Task ReportNatMappingAsync(string network, string name, string? natMapping)
    {
        var peer = Known(network, name);
        if (natMapping is not null)
        {
            _registered[(network, name)] = peer with { NatMapping = natMapping };
        }

        Publish(new PeerRefreshed
        {
            At = _clock.GetUtcNow(),
            Network = network,
            Peer = name,
            PublicEndpoint = peer.PublicEndpoint,
            Nat = new NatReportText { Mapping = natMapping },
        });
        return Task.CompletedTask;
    }

    /// <summary>A refresh with what NAT discovery found (RFC 4787 filtering words, see <see cref="Punch.Server.Storage.NatFilterings"/>), as a peer sends it once discovery is over.</summary>
    public Task ReportNatBehaviourAsync(string network, string name, string? filtering, bool? hairpinning, bool? portPreserved)
    {
        var peer = Known(network, name);
        if (filtering is not null)
        {
            _registered[(network, name)] = peer with { NatFiltering = filtering };
        }

        Publish(new PeerRefreshed
        {
            At = _clock.GetUtcNow(),
            Network = network,
            Peer = name,
            PublicEndpoint = peer.PublicEndpoint,
            Nat = new NatReportText { Filtering = filtering, Hairpinning = hairpinning, PortPreserved = portPreserved },
        });
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string network, string name)
    {
        Publish(new PeerGone(PunchEventKind.Unregistered) { At = _clock.GetUtcNow(), Network = network, Peer = name, Reason = "the peer said goodbye" });
        return Task.CompletedTask;
    }

    /// <summary>Runs a session up to the point both peers punch; returns its id.</summary>
    public Task<string> StartPunchingAsync(string network, string requester, string target)
    {
        var sessionId = Guid.NewGuid().ToString("N")[..16];
        Publish(new SessionStep(PunchEventKind.ConnectRequested) { At = _clock.GetUtcNow(), Network = network, Peer = requester, OtherPeer = target, SessionId = sessionId });
        var (requesterPeer, targetPeer) = (Known(network, requester), Known(network, target));
        // As the rendezvous tells it: each candidate prefixed with its owner, the requester's mapping first.
        Publish(new SessionIntroduced
        {
            At = _clock.GetUtcNow(),
            Network = network,
            Peer = requester,
            OtherPeer = target,
            SessionId = sessionId,
            Candidates =
            [
                $"{requester} srflx {requesterPeer.PublicEndpoint}", $"{requester} host {requesterPeer.HostCandidate}",
                $"{target} srflx {targetPeer.PublicEndpoint}", $"{target} host {targetPeer.HostCandidate}",
            ],
            NatMapping = requesterPeer.NatMapping,
            OtherNatMapping = targetPeer.NatMapping,
            NatFiltering = requesterPeer.NatFiltering,
            OtherNatFiltering = targetPeer.NatFiltering,
        });
        Publish(new SessionStep(PunchEventKind.Punching) { At = _clock.GetUtcNow(), Network = network, Peer = requester, OtherPeer = target, SessionId = sessionId });
        return Task.FromResult(sessionId);
    }

    /// <summary>Both sides report their checks and a working direct path.</summary>
    public Task CompleteDirectAsync(string network, string requester, string target, string sessionId, double elapsedMs = 42.5, double rttMs = 3.25)
    {
        foreach (var (self, other, remote) in new[] { (requester, target, "203.0.113.2:40002"), (target, requester, "203.0.113.1:40001") })
        {
            Publish(new ChecksSummarized { At = _clock.GetUtcNow(), Network = network, Peer = self, OtherPeer = other, SessionId = sessionId, ChecksSent = 5, ChecksReceived = 4 });
            Publish(PathUp(network, self, other, sessionId) with
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

    /// <summary>Punching failed, as between two symmetric NATs: both sides report the relay as their path.</summary>
    public Task CompleteRelayedAsync(string network, string requester, string target, string sessionId, double elapsedMs = 30)
    {
        foreach (var (self, other) in new[] { (requester, target), (target, requester) })
        {
            Publish(PathUp(network, self, other, sessionId) with { PathKind = "relayed", RemoteEndpoint = "203.0.113.1:3478", ElapsedMs = elapsedMs });
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
        Publish(new SessionEnded(PunchEventKind.Failed) { At = _clock.GetUtcNow(), Network = network, Peer = reporter, OtherPeer = other, SessionId = sessionId, Reason = reason, ElapsedMs = 5000 });
        return Task.CompletedTask;
    }

    public Task CloseAsync(string network, string reporter, string other, string sessionId)
    {
        Publish(new SessionEnded(PunchEventKind.Closed) { At = _clock.GetUtcNow(), Network = network, Peer = reporter, OtherPeer = other, SessionId = sessionId, Reason = "peer closed" });
        return Task.CompletedTask;
    }

    /// <summary>A peer these tests never registered still gets plausible endpoints, and an unknown mapping.</summary>
    private SimulatedPeer Known(string network, string name) =>
        _registered.TryGetValue((network, name), out var peer) ? peer : new SimulatedPeer("203.0.113.254:40999", "198.18.254.2:5000", null);

    private PathReported PathUp(string network, string peer, string other, string sessionId) => new(PunchEventKind.PathUp)
    {
        At = _clock.GetUtcNow(),
        Network = network,
        Peer = peer,
        OtherPeer = other,
        SessionId = sessionId,
    };

    private void Publish(PunchEvent punchEvent)
    {
        if (!sink.TryPublish(punchEvent))
        {
            throw new InvalidOperationException($"The event queue refused {punchEvent.Kind} for {punchEvent.Peer}.");
        }
    }
}
