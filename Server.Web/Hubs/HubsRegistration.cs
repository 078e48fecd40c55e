using Punch.Server.Api;
using Punch.Server.Hosting;

namespace Punch.Server.Hubs;

public static class HubsRegistration
{
    public static IHostApplicationBuilder AddPunchHubs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR()
            .AddJsonProtocol(json => PunchJson.Configure(json.PayloadSerializerOptions));
        builder.Services.AddHostedService<EventBroadcaster>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPunchHubs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<PunchHub>(HttpPaths.Hub);
        return endpoints;
    }
}
