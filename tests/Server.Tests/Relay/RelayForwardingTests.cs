using System.Text.Json;
using Punch.Core.Protocol;
using Punch.Server.Tests.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Relay;

/// <summary>The relay over real UDP on loopback: allocation at the introduction, authenticated activation, forwarding only between the session's two peers.</summary>
public sealed class RelayForwardingTests() : RelayHost(new Dictionary<string, string?> { ["Relay:DirectGrace"] = "00:00:00.300" })
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Both_introductions_carry_the_same_relay_channel_and_the_allocation_is_an_event()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);

        Assert.NotNull(pair.ToAlice.RelayChannel);
        Assert.Equal(pair.ToAlice.RelayChannel, pair.ToBob.RelayChannel);
        Assert.InRange(pair.Channel, 0x4000, 0x4FFF);
        await EventCountAsync("RelayAllocated", pair);
        await Eventually.WaitForAsync(() => Database.Scalar($"SELECT RelayChannel FROM Sessions WHERE Id = '{pair.SessionId}'"), c => c == pair.Channel, "the session's relay channel stored");
    }

    [Fact]
    public async Task Activation_needs_the_senders_session_password_and_a_known_session()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);

        var wrongPassword = await pair.Alice.RequestAsync(RelayPair.ActivateRequest(pair.ToAlice, password: "not-the-session-password"));
        // Bob's ufrag signed with Alice's password: the right key for the wrong side.
        var otherSide = await pair.Alice.RequestAsync(RelayPair.ActivateRequest(pair.ToAlice with { Local = pair.ToAlice.Remote with { Password = pair.ToAlice.Local.Password } }));
        var unknownSession = await pair.Alice.RequestAsync(RelayPair.ActivateRequest(pair.ToAlice with { SessionId = SessionId.NewRandom() }));

        Assert.True(ErrorResponse.TryRead(wrongPassword, out var error));
        Assert.Equal(PunchErrorCode.Unauthenticated, error.Code);
        Assert.True(ErrorResponse.TryRead(otherSide, out error));
        Assert.Equal(PunchErrorCode.Unauthenticated, error.Code);
        Assert.True(ErrorResponse.TryRead(unknownSession, out error));
        Assert.Equal(PunchErrorCode.NotRegistered, error.Code);
        Assert.Equal(0, Database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'RelayActivated'"));
    }

    [Fact]
    public async Task Frames_from_one_side_reach_the_other_unchanged_both_ways()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);

        var response = await pair.ActivateAsync(pair.Alice, pair.ToAlice);
        await pair.ActivateAsync(pair.Bob, pair.ToBob);
        var toBob = pair.Frame(600, marker: 1);
        var toAlice = pair.Frame(30, marker: 2);
        pair.Alice.Send(toBob);
        var atBob = await RelayPair.ReceiveFrameAsync(pair.Bob);
        pair.Bob.Send(toAlice);
        var atAlice = await RelayPair.ReceiveFrameAsync(pair.Alice);

        Assert.Equal(pair.Channel, response.Channel);
        Assert.Equal(pair.Alice.LocalEndPoint, response.MappedEndPoint);
        Assert.Equal(pair.SessionId, response.SessionId);
        Assert.True(response.IdleTimeout > TimeSpan.Zero);
        Assert.Equal(toBob, atBob);
        Assert.Equal(toAlice, atAlice);
        await Eventually.WaitForAsync(() => RelayCounters.PacketsForwarded, n => n == 2, "two frames forwarded");
        await EventCountAsync("RelayActivated", pair, atLeast: 2);
    }

    [Fact]
    public async Task A_frame_of_the_right_channel_from_a_third_address_is_dropped_and_counted()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);
        await pair.ActivateBothAsync();
        using var mallory = new UdpTestClient(Server);

        mallory.Send(pair.Frame(100));

        Assert.True(await RelayPair.NoFrameWithinAsync(pair.Bob, Quiet));
        Assert.True(await RelayPair.NoFrameWithinAsync(pair.Alice, TimeSpan.FromMilliseconds(50)));
        Assert.Equal(1, RelayCounters.DroppedForeignSource);
        Assert.Equal(0, RelayCounters.PacketsForwarded);
    }

    [Fact]
    public async Task A_frame_before_either_side_activated_is_dropped_and_one_activation_reaches_the_other_sides_registered_address()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);

        // Nobody has activated: nothing is forwarded.
        pair.Alice.Send(pair.Frame(100));
        Assert.True(await RelayPair.NoFrameWithinAsync(pair.Bob, Quiet));
        Assert.Equal(1, RelayCounters.DroppedNotForwarding);

        // Alice activated, Bob's activation is still on its way: her frames already reach the address
        // Bob registered from (where the server introduced him), so the first frames are not lost.
        await pair.ActivateAsync(pair.Alice, pair.ToAlice);
        pair.Alice.Send(pair.Frame(100));
        Assert.Equal(pair.Frame(100), await RelayPair.ReceiveFrameAsync(pair.Bob));

        await pair.ActivateAsync(pair.Bob, pair.ToBob);
        pair.Bob.Send(pair.Frame(50));
        Assert.Equal(pair.Frame(50), await RelayPair.ReceiveFrameAsync(pair.Alice));
    }

    [Fact]
    public async Task A_direct_path_releases_forwarding_after_the_grace_and_activation_restores_it()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);
        await pair.ActivateBothAsync();
        await pair.Alice.RequestAsync(RelayPair.ReportPathUp(pair.ToAlice, RelayPair.AliceId, PathKind.Relayed).Bytes());
        await pair.Alice.RequestAsync(RelayPair.ReportPathUp(pair.ToAlice, RelayPair.AliceId, PathKind.Direct).Bytes());

        // Within the grace, frames in flight still get through.
        pair.Alice.Send(pair.Frame(10));
        Assert.Equal(pair.Frame(10), await RelayPair.ReceiveFrameAsync(pair.Bob));

        await EventCountAsync("RelayReleased", pair);
        pair.Alice.Send(pair.Frame(20));
        Assert.True(await RelayPair.NoFrameWithinAsync(pair.Bob, Quiet));

        // The direct path died: Alice falls back; Bob's binding was kept, so one activation is enough.
        await pair.ActivateAsync(pair.Alice, pair.ToAlice);
        pair.Alice.Send(pair.Frame(30));
        Assert.Equal(pair.Frame(30), await RelayPair.ReceiveFrameAsync(pair.Bob));

        await EventCountAsync("PathChanged", pair, atLeast: 2);
        await Eventually.WaitForAsync(() => Database.Scalar($"SELECT PathChanges FROM Sessions WHERE Id = '{pair.SessionId}'"), n => n == 2, "two path changes on the session");
        Assert.Equal(2000, Database.Scalar($"SELECT BytesRelayedA FROM Sessions WHERE Id = '{pair.SessionId}'"));
        Assert.Equal(1, Database.Scalar($"SELECT COUNT(*) FROM Sessions WHERE Id = '{pair.SessionId}' AND PathKind = 'direct' AND State = 'Direct'"));
    }

    [Fact]
    public async Task The_api_and_the_relay_page_show_each_allocation_with_its_endpoints_and_traffic()
    {
        using var pair = await RelayPair.IntroduceAsync(Server);
        await pair.ActivateBothAsync();
        pair.Alice.Send(pair.Frame(96));
        await RelayPair.ReceiveFrameAsync(pair.Bob);
        using var http = App.CreateClient();

        using var json = JsonDocument.Parse(await http.GetStringAsync("/api/relay"));
        var allocation = json.RootElement.GetProperty("allocations").EnumerateArray().Single(a => a.GetProperty("sessionId").GetString() == pair.SessionId.ToString());
        var page = await http.GetStringAsync("/relay");

        Assert.Equal(pair.Channel, allocation.GetProperty("channel").GetInt32());
        Assert.Equal("Forwarding", allocation.GetProperty("state").GetString());
        Assert.Equal(pair.Alice.LocalEndPoint.ToString(), allocation.GetProperty("requester").GetProperty("endPoint").GetString());
        Assert.Equal(pair.Bob.LocalEndPoint.ToString(), allocation.GetProperty("target").GetProperty("endPoint").GetString());
        Assert.Equal(100, allocation.GetProperty("requester").GetProperty("bytesForwarded").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("counters").GetProperty("packetsForwarded").GetInt64());
        Assert.Contains($"relay-row-{pair.SessionId}", page, StringComparison.Ordinal);
        Assert.Contains(pair.Bob.LocalEndPoint.ToString(), page, StringComparison.Ordinal);
    }
}
