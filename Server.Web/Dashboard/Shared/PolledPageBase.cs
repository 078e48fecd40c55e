using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace Punch.Server.Dashboard.Shared;

/// <summary>
/// A page that shows in-memory counters which change with every packet or byte (the relay, exposed
/// services): it reads a snapshot on a timer instead of waiting for events. Only the interactive
/// pass keeps a timer (the static prerender is thrown away); it stops when the page goes away.
/// </summary>
public abstract class PolledPageBase<TSnapshot> : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();

    [Inject] private IOptions<DashboardOptions> Options { get; set; } = default!;

    protected TSnapshot Current { get; private set; } = default!;

    /// <summary>Reads the snapshot the page shows.</summary>
    protected abstract TSnapshot Read();

    /// <summary>Reads the snapshot again now (a parameter changed what it shows).</summary>
    protected void Refresh() => Current = Read();

    protected override void OnInitialized()
    {
        Current = Read();
        if (RendererInfo.IsInteractive)
        {
            _ = RefreshLoopAsync(_disposed.Token);
        }
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.Value.RefreshInterval * 4);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Current = Read();
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The page went away.
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed.Cancel();
            _disposed.Dispose();
        }
    }
}
