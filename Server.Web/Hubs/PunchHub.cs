using Microsoft.AspNetCore.SignalR;

namespace Punch.Server.Hubs;

/// <summary>
/// The live event feed at <see cref="HubsRegistration.PunchHubPath"/>. Stateless and push-only: a
/// client catches up through <c>GET /api/events?afterId=</c> and then listens here.
/// </summary>
public sealed class PunchHub : Hub<IPunchClient>;
