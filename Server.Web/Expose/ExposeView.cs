using Microsoft.Extensions.Options;

namespace Punch.Server.Expose;

/// <summary>One live visitor connection as the Exposed page and <c>GET /api/exposed</c> show it.</summary>
public sealed record VisitorView(string ConnectionId, string Visitor, bool Attached, DateTimeOffset OpenedAt, long BytesToPeer, long BytesToVisitor);

/// <summary>One exposed service as the Exposed page and <c>GET /api/exposed</c> show it.</summary>
public sealed record ExposedServiceView(
    string Network,
    string Peer,
    int PublicPort,
    string LocalService,
    string PeerEndPoint,
    DateTimeOffset Since,
    int ActiveConnections,
    long TotalConnections,
    long BytesToPeer,
    long BytesToVisitors,
    IReadOnlyList<VisitorView> Visitors);

/// <summary>The Exposed page's and <c>GET /api/exposed</c>'s whole answer; <paramref name="Refusals"/> counts each kind of refusal since start (<see cref="ExposeRefusalKind"/>).</summary>
public sealed record ExposeSnapshot(bool Enabled, string? ControlEndPoint, string AllowedPorts, int PendingAttaches, IReadOnlyList<ExposedServiceView> Services, IReadOnlyDictionary<string, long> Refusals);

/// <summary>What the Exposed page and the API read: in memory and live (traffic is counters, not events).</summary>
public sealed class ExposeView(ExposeRegistry registry, ExposeRefusals refusals, ExposeEndpoint endpoint, IOptions<ExposeOptions> options)
{
    public ExposeSnapshot Snapshot() => new(
        options.Value.Enabled,
        endpoint.ControlEndPoint?.ToString(),
        options.Value.Ports.Text,
        registry.PendingCount,
        [.. registry.Services.Select(s => new ExposedServiceView(
            s.Peer.Network, s.Peer.Name, s.PublicPort, s.LocalService, s.PeerEndPoint.ToString(), s.Since,
            s.ActiveConnections, s.TotalConnections, s.BytesToPeer, s.BytesToVisitors,
            [.. s.Visitors.OrderBy(v => v.OpenedAt).Select(v => new VisitorView($"{v.Id:x16}", v.Address.ToString(), v.Attached, v.OpenedAt, v.BytesToPeer, v.BytesToVisitor))]))],
        refusals.Snapshot());
}
