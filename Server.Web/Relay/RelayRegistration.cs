using Microsoft.Extensions.Options;
using Punch.Server.Rendezvous;

namespace Punch.Server.Relay;

public static class RelayRegistration
{
    /// <summary>Registers the session relay (options validated at start, control plane, forwarder).</summary>
    public static IHostApplicationBuilder AddRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RelayOptions>().Bind(builder.Configuration.GetSection(RelayOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();
        builder.Services.AddSingleton<RelayStats>();
        builder.Services.AddSingleton<SessionRelay>();
        builder.Services.AddSingleton<ISessionRelay>(services => services.GetRequiredService<SessionRelay>());
        builder.Services.AddSingleton<RelayForwarder>();
        builder.Services.AddSingleton<IRelayForwarder>(services => services.GetRequiredService<RelayForwarder>());
        builder.Services.AddSingleton<RelayView>();
        return builder;
    }
}
