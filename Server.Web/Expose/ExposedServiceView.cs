namespace Punch.Server.Expose;

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
