using Punch.Server.Telemetry;

namespace Punch.Server.Events;

public static class EventsRegistration
{
    /// <summary>
    /// Registers the event pipeline: the sink the rendezvous publishes to, the channel of stored events
    /// and the in-process notifier. The writer that drains the sink is Storage's (<c>AddPunchStorage</c>),
    /// the broadcaster that reads the stored channel the hub's (<c>AddPunchHubs</c>).
    /// </summary>
    public static IHostApplicationBuilder AddPunchEvents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventsOptions>()
            .Bind(builder.Configuration.GetSection(EventsOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(EventsOptions.HasSaneDurations, "Events:WriteRetryDelay must be within (0, 1 min] and Events:ShutdownDrainTimeout within (0, 5 min].")
            .ValidateOnStart();

        builder.Services.AddSingleton<EventStats>();
        builder.Services.AddSingleton<IFixedSeries>(services => services.GetRequiredService<EventStats>());
        builder.Services.AddSingleton<EventChannel>();
        builder.Services.AddSingleton<IPunchEventSink>(services => services.GetRequiredService<EventChannel>());
        builder.Services.AddSingleton<StoredEventChannel>();
        builder.Services.AddSingleton<PunchEventNotifier>();
        return builder;
    }
}
