namespace Punch.Server.Expose;

/// <summary>The Exposed page's and <c>GET /api/exposed</c>'s whole answer; <paramref name="Refusals"/> counts each kind of refusal since start (<see cref="ExposeRefusalKind"/>).</summary>
public sealed record ExposeSnapshot(bool Enabled, string? ControlEndPoint, string AllowedPorts, int PendingAttaches, IReadOnlyList<ExposedServiceView> Services, IReadOnlyDictionary<string, long> Refusals);
