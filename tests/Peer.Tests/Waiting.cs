namespace Punch.Peer.Tests;

/// <summary>Polls a condition that real sockets make true, bounded in time (10 s), failing with what it waited for.</summary>
internal static class Waiting
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }
}
