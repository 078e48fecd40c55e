using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Relay;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Relay;

/// <summary>A server on loopback with relay settings of the test's choosing; one per test.</summary>
public abstract class RelayHost(IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    protected TempDatabase Database { get; } = new();
    protected PunchAppFactory App { get; private set; } = null!;

    protected IPEndPoint Server => App.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;
    protected RelayCounters RelayCounters => App.Services.GetRequiredService<RelayStats>().Snapshot();
    protected LimitCounters Limits => App.Services.GetRequiredService<RendezvousStats>().Snapshot().Limits;

    public Task InitializeAsync()
    {
        App = new PunchAppFactory(Database, settings);
        _ = App.Services; // starts the host, binding the UDP port
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Database.Dispose();
    }

    protected Task<long> EventCountAsync(string kind, RelayPair pair, long atLeast = 1) =>
        Eventually.WaitForAsync(() => Database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = '{kind}' AND SessionId = '{pair.SessionId}'"), n => n >= atLeast, $"{atLeast} {kind} event(s)");
}
