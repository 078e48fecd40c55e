namespace Punch.Server.Rendezvous;

public static class RendezvousRegistration
{
    /// <summary>Registers the UDP rendezvous (options, registry, sessions, hosted receive loop).</summary>
    public static IHostApplicationBuilder AddRendezvous(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RendezvousStats>();
        return builder;
    }
}
