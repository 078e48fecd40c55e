using Punch.Core.Protocol;

namespace Punch.Server.Tests.Relay;

/// <summary>Each per-allocation limit stops forwarding, tells both sides why, is counted and stored.</summary>
public sealed class RelayTotalBytesLimitTests() : RelayHost(new Dictionary<string, string?> { ["Relay:MaxBytes"] = "3000" })
{
    [Fact]
    public async Task Reaching_the_total_closes_the_relay_for_good()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);
        await pair.ActivateBothAsync();

        for (int i = 0; i < 3; i++)
        {
            pair.Alice.Send(pair.Frame(996));
            await RelayPair.ReceiveFrameAsync(pair.Bob);
        }

        pair.Alice.Send(pair.Frame(996));
        var toAlice = await RelayPair.ReceiveClosedAsync(pair.Alice);
        var toBob = await RelayPair.ReceiveClosedAsync(pair.Bob);

        Assert.Equal(pair.SessionId, toAlice.SessionId);
        Assert.Contains("relay limit of 3000 bytes reached", toAlice.Reason, StringComparison.Ordinal);
        Assert.Equal(toAlice.Reason, toBob.Reason);
        Assert.Equal(1, Limits.RelayTotalBytesReached);
        await EventCountAsync("RelayLimit", pair);
        var again = await pair.Alice.RequestAsync(RelayPair.ActivateRequest(pair.ToAlice));
        Assert.True(ErrorResponse.TryRead(again, out var error));
        Assert.Equal(PunchErrorCode.AllocationQuotaReached, error.Code);
    }
}

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

public sealed class RelayAllocationCapTests() : RelayHost(new Dictionary<string, string?> { ["Rendezvous:MaxRelayAllocations"] = "1" })
{
    [Fact]
    public async Task Past_the_allocation_cap_the_introduction_carries_no_channel_and_it_is_counted()
    {
        using var first = await RelayPair.IntroduceAsync(Server, "one");
        using var second = await RelayPair.IntroduceAsync(Server, "two");

        Assert.NotNull(first.ToAlice.RelayChannel);
        Assert.Null(second.ToAlice.RelayChannel);
        Assert.Null(second.ToBob.RelayChannel);
        Assert.Equal(1, Limits.RelayAllocationsRefused);
        await EventCountAsync("RelayLimit", second);
        var refused = await second.Alice.RequestAsync(RelayPair.ActivateRequest(second.ToAlice));
        Assert.True(ErrorResponse.TryRead(refused, out var error));
        Assert.Equal(PunchErrorCode.NotRegistered, error.Code);
    }
}
