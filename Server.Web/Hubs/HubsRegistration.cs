using Punch.Server.Api;

namespace Punch.Server.Hubs;

public static class HubsRegistration
{
    public const string PunchHubPath = "/hubs/punch";

    public static IHostApplicationBuilder AddPunchHubs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR()
            .AddJsonProtocol(json => PunchJson.Configure(json.PayloadSerializerOptions));
        return builder;
    }

    public static IEndpointRouteBuilder MapPunchHubs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<PunchHub>(PunchHubPath);
        return endpoints;
    }
}
