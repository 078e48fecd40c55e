namespace Punch.Server.Relay;

/// <summary>One side of an allocation as the relay page shows it: where it is bound and what it sent through the relay.</summary>
public sealed record RelaySideView(string Peer, string? EndPoint, DateTimeOffset? ActivatedAt, long PacketsForwarded, long BytesForwarded);
