namespace Punch.Server.Security;

/// <summary>Loads the stored keys before the rendezvous starts (hosted services start in registration order).</summary>
public sealed partial class NetworkKeyLoader(NetworkKeyStore store, ILogger<NetworkKeyLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var loaded = await store.LoadAsync(cancellationToken);
        LogLoaded(logger, loaded);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} admin-set network keys loaded")]
    private static partial void LogLoaded(ILogger logger, int count);
}
