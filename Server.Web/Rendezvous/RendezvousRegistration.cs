using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Punch.Server.Security;
using Punch.Server.Telemetry;

namespace Punch.Server.Rendezvous;

public static class RendezvousRegistration
{
    /// <summary>Registers the UDP rendezvous (options validated at start, handler, hosted receive loop).</summary>
    public static IHostApplicationBuilder AddRendezvous(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RendezvousOptions>().Bind(builder.Configuration.GetSection(RendezvousOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RendezvousOptions>, RendezvousOptionsValidator>();
        // Bound from the root: the section "Networks" fills NetworksOptions.Networks.
        builder.Services.AddOptions<NetworksOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NetworksOptions>, NetworksOptionsValidator>();
        builder.Services.AddSingleton<NetworkKeys>();
        builder.Services.AddNetworkKeyUpdater<NetworkKeys>();
        builder.Services.AddSingleton<RequestAuthenticator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RendezvousStats>();
        builder.Services.AddSingleton<IFixedSeries>(services => services.GetRequiredService<RendezvousStats>());
        builder.Services.AddSingleton<AddressProof>();
        builder.Services.AddSingleton<RendezvousEndpoint>();
        builder.Services.AddSingleton(sp => new SourceRateLimiter(
            sp.GetRequiredService<IOptions<RendezvousOptions>>().Value.RateLimit, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RendezvousStats>()));
        builder.Services.AddSingleton<BindingListeners>();
        builder.Services.AddSingleton<BindingResponder>();
        builder.Services.AddSingleton<RendezvousHandler>();
        builder.Services.AddSingleton<RendezvousService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RendezvousService>());
        return builder;
    }
}
