namespace Punch.Server.Expose;

/// <summary>One live visitor connection as the Exposed page and <c>GET /api/exposed</c> show it.</summary>
public sealed record VisitorView(string ConnectionId, string Visitor, bool Attached, DateTimeOffset OpenedAt, long BytesToPeer, long BytesToVisitor);
