using Microsoft.Extensions.Options;

namespace Punch.Server.Expose;

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
