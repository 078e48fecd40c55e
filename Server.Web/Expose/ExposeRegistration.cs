using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Punch.Server.Rendezvous;

namespace Punch.Server.Expose;

public static class ExposeRegistration
{
    /// <summary>Registers publishing peers' services on public ports (options validated at start; off until Expose:AllowedPorts is set).</summary>
    public static IHostApplicationBuilder AddExpose(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExposeOptions>().Bind(builder.Configuration.GetSection(ExposeOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ExposeOptions>, ExposeOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ExposeRegistry>();
        builder.Services.AddSingleton<ExposeRefusals>();
        builder.Services.AddSingleton<ExposeEndpoint>();
        builder.Services.AddSingleton<IExposeControlPort>(services => services.GetRequiredService<ExposeEndpoint>());
        builder.Services.AddSingleton<ExposeView>();
        builder.Services.AddHostedService<ExposeServer>();
        return builder;
    }
}
