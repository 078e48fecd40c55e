using Punch.Lab.Tests.Processes;

namespace Punch.Lab.Tests.Punching;

/// <summary>Two real peers started on two lab hosts, each connecting to the other; a test can watch their output while they run.</summary>
public sealed class RunningPair(LabProcess a, LabProcess b, string nameA, string nameB, PeerSettings settings) : IAsyncDisposable
{
    public LabProcess A => a;

    public LabProcess B => b;

    /// <summary>Waits for both to exit (killed past <see cref="PeerSettings.ExitLimit"/>) and parses what they said.</summary>
    public async Task<PairOutcome> FinishAsync()
    {
        var exits = await Task.WhenAll(a.WaitForExitAsync(settings.ExitLimit), b.WaitForExitAsync(settings.ExitLimit));
        return new PairOutcome(
            PeerOutcome.Parse(nameA, exits[0], a.Lines, a.Transcript()),
            PeerOutcome.Parse(nameB, exits[1], b.Lines, b.Transcript()));
    }

    public async ValueTask DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
    }
}
