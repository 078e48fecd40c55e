using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Relay;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;
using Xunit.Abstractions;

namespace Punch.Server.Tests.Telemetry;

/// <summary>
/// The receive path counts every datagram (200k+/s): with the exporter and the server's own reader
/// listening, a count must allocate nothing. What this test printed on the build machine is in docs/metrics.md.
/// </summary>
public sealed class CountingCostTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Counting_a_datagram_allocates_nothing_with_the_exporters_listening()
    {
        await using var app = new PunchAppFactory(_database);
        using var http = app.CreateClient();
        // One scrape first: OpenTelemetry's reader has collected once, so its aggregation is on the measured path.
        (await http.GetAsync("/metrics").WaitAsync(TimeSpan.FromSeconds(20))).Dispose();
        var stats = app.Services.GetRequiredService<RendezvousStats>().ForListener(new IPEndPoint(IPAddress.Loopback, 3478));
        var relay = app.Services.GetRequiredService<RelayStats>();
        const int countsPerRound = 5;
        void CountOneOfEach()
        {
            stats.Received();
            stats.Sent();
            stats.Malformed();
            stats.RateLimited();
            relay.Forwarded(100);
        }

        for (int i = 0; i < 10_000; i++)
        {
            CountOneOfEach();
        }

        const int rounds = 200_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < rounds; i++)
        {
            CountOneOfEach();
        }

        var took = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        double nanoseconds = took.TotalNanoseconds / (rounds * (countsPerRound + 1)); // Forwarded counts two
        output.WriteLine($"per-datagram counts (fields read by ObservableCounters): {nanoseconds:0.0} ns per count, {allocated} bytes allocated in {rounds * (countsPerRound + 1)} counts");

        // For comparison, an event counter (Counter<long>.Add with a cached tag, both readers listening).
        long eventStart = Stopwatch.GetTimestamp();
        long eventBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < rounds; i++)
        {
            stats.Refused(LimitKind.Sessions);
        }

        long eventAllocated = GC.GetAllocatedBytesForCurrentThread() - eventBefore;
        output.WriteLine($"event counter Add: {Stopwatch.GetElapsedTime(eventStart).TotalNanoseconds / rounds:0.0} ns per Add, {eventAllocated} bytes allocated in {rounds} Adds");
        allocated += eventAllocated;
        // Not zero on every run: the runtime may allocate a few hundred bytes once on this thread (tiering, OpenTelemetry's
        // thread-static buffers). One allocation per count would be at least 24 B x 1.2 million = 28 MB.
        Assert.True(allocated < 16 * 1024, $"{allocated} bytes allocated: something allocates per count");
    }
}
