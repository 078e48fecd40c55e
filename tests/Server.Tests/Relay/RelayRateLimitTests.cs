namespace Punch.Server.Tests.Relay;

public sealed class RelayRateLimitTests() : RelayHost(new Dictionary<string, string?> { ["Relay:BytesPerSecond"] = "1000", ["Relay:BurstBytes"] = "65536" })
{
    [Fact]
    public async Task Sending_faster_than_the_rate_closes_the_relay_with_the_reason()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);
        await pair.ActivateBothAsync();

        // 80 kB at once: past the 64 KiB burst, far past 1000 bytes a second.
        for (int i = 0; i < 80; i++)
        {
            pair.Alice.Send(pair.Frame(996));
        }

        var toAlice = await RelayPair.ReceiveClosedAsync(pair.Alice);
        var toBob = await RelayPair.ReceiveClosedAsync(pair.Bob);

        Assert.Contains("1000 bytes per second", toAlice.Reason, StringComparison.Ordinal);
        Assert.Equal(toAlice.Reason, toBob.Reason);
        Assert.Equal(1, Limits.RelayRateExceeded);
        await EventCountAsync("RelayLimit", pair);
        Assert.InRange(RelayCounters.PacketsForwarded, 60, 66);
    }
}
