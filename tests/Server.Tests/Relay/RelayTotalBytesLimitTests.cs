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
