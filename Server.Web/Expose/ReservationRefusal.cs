namespace Punch.Server.Expose;

/// <summary>Why a registration cannot have its port; null when it can.</summary>
public sealed record ReservationRefusal(int Code, string Reason, ExposeRefusalKind Kind);
