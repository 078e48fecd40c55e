using Microsoft.AspNetCore.SignalR;
using Punch.Server.Events;

namespace Punch.Server.Hubs;

/// <summary>What the server calls on every connected client.</summary>
public interface IPunchClient
{
    /// <summary>One stored event (with its database id), in the order the writer committed them.</summary>
    Task Event(PunchEvent punchEvent);
}

/// <summary>
/// The live event feed at <see cref="HubsRegistration.PunchHubPath"/>. Stateless and push-only: a
/// client catches up through <c>GET /api/events?afterId=</c> and then listens here.
/// </summary>
public sealed class PunchHub : Hub<IPunchClient>;
