using Microsoft.AspNetCore.SignalR;
using Punch.Server.Hosting;

namespace Punch.Server.Hubs;

/// <summary>
/// The live event feed at <see cref="HttpPaths.Hub"/>. Stateless and push-only: a
/// client catches up through <c>GET /api/events?afterId=</c> and then listens here.
/// </summary>
public sealed class PunchHub : Hub<IPunchClient>;
