using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Relay;
using Punch.Server.Rendezvous;
using Punch.Server.Tests.Relay;
using Punch.Tests.Shared;
using Xunit.Abstractions;

namespace Punch.Server.Tests.OpenInternet;

/// <summary>
/// One socket registers 15 names and connects them in pairs (105 sessions), acknowledging every
/// introduction and never reporting a path. Before session deadlines and per-address caps, those
/// sessions stayed Punching for good, held all 100 relay allocations, and a real pair got no relay.
/// Defaults throughout, except a shorter <see cref="RendezvousOptions.PunchTimeout"/> so the test does not wait 30 s
/// (long enough for 105 connects on a loaded machine), and 16 relay allocations in all, fewer than one address's
/// 64 sessions: without the per-address relay cap the attacker would take them all.
/// </summary>
public sealed class IdleSessionAttackTests(ITestOutputHelper output) : RelayHost(new Dictionary<string, string?>
{
    ["Rendezvous:PunchTimeout"] = "00:00:10",
    ["Rendezvous:MaxRelayAllocations"] = "16",
})
{
    private const int Names = 15;
    private static readonly IPAddress AttackerAddress = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task Sessions_that_never_connect_are_capped_per_address_end_at_the_punch_timeout_and_free_their_relays()
    {
        var started = DateTime.UtcNow;
        var options = App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RendezvousOptions>>().Value;
        var relay = App.Services.GetRequiredService<SessionRelay>();
        using var attacker = new AttackerSocket(Server, AttackerAddress);
        await attacker.RegisterAsync(Names);

        var answers = new List<(bool Accepted, int ErrorCode)>();
        for (int i = 0; i < Names; i++)
        {
            for (int j = i + 1; j < Names; j++)
            {
                answers.Add(await attacker.ConnectAsync(AttackerSocket.Name(i), AttackerSocket.Name(j).Name));
            }
        }

        await attacker.AcknowledgeIntroductionsAsync(quiet: TimeSpan.FromMilliseconds(300), limit: TimeSpan.FromSeconds(2));
        int accepted = answers.Count(a => a.Accepted);
        int attackerAllocations = relay.Snapshot().Count;
        output.WriteLine($"{answers.Count} connects: {accepted} sessions, refusals {string.Join(", ", answers.Where(a => !a.Accepted).GroupBy(a => a.ErrorCode).Select(g => $"{g.Key} x{g.Count()}"))}; relay allocations {attackerAllocations}");

        // The counts below hold only while none of the sessions has reached its deadline yet.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(9), $"the connects took {DateTime.UtcNow - started}, too long for the punch timeout");
        Assert.Equal(105, answers.Count);
        Assert.Equal(options.MaxSessionsPerAddress, accepted);
        Assert.All(answers.Where(a => !a.Accepted), a => Assert.Equal(LimitRefusal.QuotaReached, a.ErrorCode));
        Assert.Equal(options.MaxRelayAllocationsPerAddress, attackerAllocations);

        // While that address holds its maximum, a pair from another address connects and gets a relay channel.
        using (var pair = await RelayPair.IntroduceAsync(Server))
        {
            Assert.NotNull(pair.ToAlice.RelayChannel);
            await pair.ActivateBothAsync();
        }

        // Every state has a deadline: past PunchTimeout each of the attacker's sessions ended Failed with the reason, and its relay is free.
        await Eventually.WaitForAsync(
            () => Database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind = 'Failed' AND Reason LIKE 'no path within 10 s of the introduction%'"),
            n => n >= accepted, $"{accepted} sessions failed by the punch timeout", TimeSpan.FromSeconds(30));
        await Eventually.WaitForAsync(() => (long)relay.Snapshot().Count, n => n == 0, "every relay allocation freed", TimeSpan.FromSeconds(10));
        Assert.True(Limits.PunchTimeouts >= accepted, $"{Limits.PunchTimeouts} punch timeouts counted");
        Assert.True(Limits.SessionsPerAddressRefused >= 105 - accepted, $"{Limits.SessionsPerAddressRefused} refusals counted");

        // The slots are free again: the same address may open sessions anew.
        var again = await attacker.ConnectAsync(AttackerSocket.Name(0), AttackerSocket.Name(1).Name);
        Assert.True(again.Accepted, $"a new session after the old ones ended (got {again.ErrorCode})");
    }
}
