using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Punch.Server.Events;
using Punch.Server.Rendezvous;
using Punch.Server.Telemetry;

namespace Punch.Server.Tests;

/// <summary>The server's meter outside a host, for tests that wire parts by hand: a meter factory of its own, so nothing is shared between tests.</summary>
internal static class TestMeters
{
    public static ServerMeter NewServerMeter() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    // The stats keep their meter for their whole life; a test's hand-wired parts are dropped with the test.
#pragma warning disable CA2000
    public static RendezvousStats NewRendezvousStats(int maxNetworkLabels = 20)
    {
        var meter = NewServerMeter();
        return new(meter, Options.Create(new TelemetryOptions { MaxNetworkLabels = maxNetworkLabels }), new EventStats(meter));
    }
#pragma warning restore CA2000
}
