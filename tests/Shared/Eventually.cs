namespace Punch.Tests.Shared;

/// <summary>Waits for a condition by polling with a hard deadline, so a test fails instead of hanging.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> isDone, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T last;
        while (true)
        {
            last = await probe().WaitAsync(timeout ?? DefaultTimeout);
            if (isDone(last))
            {
                return last;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {last}");
            }

            await Task.Delay(PollInterval);
        }
    }

    public static Task<T> WaitForAsync<T>(Func<T> probe, Func<T, bool> isDone, string what, TimeSpan? timeout = null) =>
        WaitForAsync(() => Task.FromResult(probe()), isDone, what, timeout);
}
