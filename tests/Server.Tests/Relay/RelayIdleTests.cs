namespace Punch.Server.Tests.Relay;

public sealed class RelayIdleTests() : RelayHost(new Dictionary<string, string?> { ["Relay:IdleTimeout"] = "00:00:01" })
{
    [Fact]
    public async Task An_idle_relay_is_released_and_both_sides_are_told()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);
        await pair.ActivateBothAsync();

        var toAlice = await RelayPair.ReceiveClosedAsync(pair.Alice);
        var toBob = await RelayPair.ReceiveClosedAsync(pair.Bob);

        Assert.Contains("idle", toAlice.Reason, StringComparison.Ordinal);
        Assert.Equal(toAlice.Reason, toBob.Reason);
        Assert.Equal(1, Limits.RelayIdleReleased);
        await EventCountAsync("RelayReleased", pair);

        // Idle is not a penalty: activating again forwards again.
        await pair.ActivateAsync(pair.Alice, pair.ToAlice);
        pair.Alice.Send(pair.Frame(8));
        Assert.Equal(pair.Frame(8), await RelayPair.ReceiveFrameAsync(pair.Bob));
    }
}
