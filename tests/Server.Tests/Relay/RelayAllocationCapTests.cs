using Punch.Core.Protocol;

namespace Punch.Server.Tests.Relay;

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
