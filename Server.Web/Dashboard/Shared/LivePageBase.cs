using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Punch.Server.Events;
using Punch.Server.Storage;

namespace Punch.Server.Dashboard.Shared;

/// <summary>
/// A page that loads from SQLite and then stays live: every stored event (from the in-process
/// notifier) schedules one reload after <see cref="DashboardOptions.RefreshInterval"/>, coalescing
/// bursts, and re-renders without a page reload. Unsubscribes when the circuit disposes the page.
/// </summary>
public abstract partial class LivePageBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    // Captured once: a token stays usable after its source is disposed, the source's Token property does not.
    private readonly CancellationToken _lifetime;
    private IDisposable? _subscription;
    private int _refreshPending;

    protected LivePageBase() => _lifetime = _disposed.Token;

    [Inject] protected PunchQueries Queries { get; set; } = default!;
    [Inject] private PunchEventNotifier Notifier { get; set; } = default!;
    [Inject] private IOptions<DashboardOptions> Options { get; set; } = default!;
    [Inject] private ILogger<LivePageBase> Logger { get; set; } = default!;

    protected DashboardOptions Settings => Options.Value;

    /// <summary>Reads the page's data from the database into fields.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Whether an event can change what this page shows.</summary>
    protected virtual bool IsRelevant(StoredEvent stored) => true;

    protected override async Task OnInitializedAsync()
    {
        // Subscribe before loading so an event stored during the load still triggers a refresh.
        // The static prerender pass is thrown away after rendering, so only the interactive pass listens.
        if (RendererInfo.IsInteractive)
        {
            _subscription = Notifier.Subscribe(OnStoredEvent);
        }

        await LoadAsync(_lifetime);
    }

    private void OnStoredEvent(StoredEvent stored)
    {
        if (!IsRelevant(stored) || Interlocked.Exchange(ref _refreshPending, 1) == 1)
        {
            return;
        }

        _ = RefreshSoonAsync(_lifetime);
    }

    private async Task RefreshSoonAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Settings.RefreshInterval, cancellationToken);
            await InvokeAsync(async () =>
            {
                // Cleared before loading: an event stored from now on is not in this load, so it schedules another.
                Volatile.Write(ref _refreshPending, 0);
                await LoadAsync(cancellationToken);
                StateHasChanged();
            });
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _refreshPending, 0);
            LogRefreshFailed(Logger, ex, GetType().Name);
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
            _subscription?.Dispose();
            _disposed.Cancel();
            _disposed.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live refresh of {Page} failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string page);
}
