using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Peer.Cli;
using Punch.Peer.Output;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.EndToEnd;

/// <summary>Real peers in a network that requires a key: with it they meet; without it, or with another, they are told and exit 1.</summary>
public sealed class KeyedNetworkTests : IDisposable
{
    private const string HomeKey = "correct horse battery staple";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static PeerUnderTest InHome(System.Net.IPEndPoint server, string name, string peer, string? key, int count = 3) =>
        new(PeerUnderTest.Fast(server, name, peer, count).Options with { Network = "home", Key = key });

    [Fact]
    public async Task Two_peers_with_the_key_meet_and_ping_and_a_wrong_or_missing_key_exits_1_saying_so()
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Networks:home:Key"] = HomeKey });
        var server = app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;

        var alice = InHome(server, "alice", "bob", HomeKey);
        var bob = InHome(server, "bob", "alice", HomeKey);
        var runs = new[] { alice.ConnectAsync(), bob.ConnectAsync() };
        int[] exitCodes = await Task.WhenAll(runs).WaitAsync(Limit);
        Assert.Equal(new[] { ExitCodes.Success, ExitCodes.Success }, exitCodes);
        Assert.Equal(PathKind.Direct, (await alice.WaitForDirectPathAsync()).Kind);
        Assert.Equal(3, bob.All<PongEvent>().Count());

        var mallory = InHome(server, "mallory", "alice", "not the key of this network");
        Assert.Equal(ExitCodes.NoPath, await mallory.ConnectAsync().WaitAsync(Limit));
        var refused = Assert.Single(mallory.All<FailedEvent>());
        Assert.StartsWith("the server refused our key for network home: wrong key", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("refused our key for network home", mallory.OutputText, StringComparison.Ordinal);

        var stranger = InHome(server, "stranger", "alice", key: null);
        Assert.Equal(ExitCodes.NoPath, await stranger.ConnectAsync().WaitAsync(Limit));
        Assert.StartsWith("the server refused our key for network home: no key", Assert.Single(stranger.All<FailedEvent>()).Reason, StringComparison.Ordinal);

        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind = 'Rejected' AND Peer IN ('mallory', 'stranger')"), n => n >= 2, "the Rejected events");
        Assert.Equal(0, _database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind IN ('Registered', 'Introduced') AND (Peer IN ('mallory', 'stranger') OR OtherPeer IN ('mallory', 'stranger'))"));
    }
}
