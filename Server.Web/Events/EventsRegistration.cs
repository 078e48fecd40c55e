namespace Punch.Server.Events;

public static class EventsRegistration
{
    /// <summary>
    /// Registers the event pipeline: the sink the rendezvous publishes to, the writer and the
    /// broadcaster. Call it before <c>AddRendezvous</c>: hosted services stop in reverse order, so the
    /// rendezvous stops publishing before the writer drains the queue.
    /// </summary>
    public static IHostApplicationBuilder AddPunchEvents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventsOptions>()
            .Bind(builder.Configuration.GetSection(EventsOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(EventsOptions.HasSaneDurations, "Events:WriteRetryDelay must be within (0, 1 min] and Events:ShutdownDrainTimeout within (0, 5 min].")
            .ValidateOnStart();

        builder.Services.AddSingleton<EventChannel>();
        builder.Services.AddSingleton<IPunchEventSink>(services => services.GetRequiredService<EventChannel>());
        builder.Services.AddSingleton<StoredEventChannel>();
        builder.Services.AddSingleton<PunchEventNotifier>();
        builder.Services.AddHostedService<EventWriter>();
        builder.Services.AddHostedService<EventBroadcaster>();
        return builder;
    }
}
