using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Punch.Server.Events;

namespace Punch.Tests.Shared;

/// <summary>
/// The real server in-process, on its own SQLite file. Pass the same <see cref="TempDatabase"/> to a
/// second factory to "restart" the server on the same data.
/// </summary>
public class PunchAppFactory(TempDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public TempDatabase Database => database;

    private readonly ConcurrentQueue<string> _errors = new();

    public IPunchEventSink Sink => Services.GetRequiredService<IPunchEventSink>();

    /// <summary>
    /// Starts the server expecting it to refuse; returns what it said: the exception and every error
    /// it logged. Both, because when the start fails the app disposes its host while
    /// WebApplicationFactory may still be reading it, and then the factory throws
    /// ObjectDisposedException instead of the real reason (a race seen under load); the host has
    /// logged the reason by then.
    /// </summary>
    public async Task<string> StartupFailureAsync()
    {
        try
        {
            await Task.Run(() => CreateClient()).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            return string.Join(" | ", Messages(e).Concat(_errors));
        }

        throw new InvalidOperationException("the server started, but a refusal was expected");
    }

    private static IEnumerable<string> Messages(Exception error) =>
        error is AggregateException aggregate
            ? aggregate.InnerExceptions.SelectMany(Messages).Prepend(error.Message)
            : error.InnerException is { } inner ? Messages(inner).Prepend(error.Message) : [error.Message];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureLogging(logging => logging.AddProvider(new ErrorCapture(_errors)));
        builder.UseSetting("ConnectionStrings:Punch", database.ConnectionString);
        // Port 0: the UDP rendezvous binds an ephemeral loopback port, never the real 3478.
        builder.UseSetting("Rendezvous:Port", "0");
        builder.UseSetting("Rendezvous:BindAddress", "127.0.0.1");
        builder.UseSetting("Rendezvous:AlternatePort", "0");
        builder.UseSetting("Dashboard:RefreshInterval", "00:00:00.050");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
