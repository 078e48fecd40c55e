using System.Globalization;
using System.Text.RegularExpressions;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.Relay;

/// <summary>
/// Kills the direct path through one router while the server stays reachable: an nft table that
/// drops the peers' direct datagrams (<see cref="NatRules.DropAllUdpExcept"/>), and on request a
/// flush of the router's conntrack table (the NAT forgets every mapping). Disposing removes the
/// table; it is idempotent so a test can lift the block early and still dispose it in a finally.
/// </summary>
public sealed partial class DirectPathBlock : IAsyncDisposable
{
    private static readonly string[] ServerAddresses = [NatLab.ServerAddress, NatLab.SecondServerAddress, NatLab.StrangerAddress];

    private readonly string _router;
    private readonly string _table;
    private int _lifted;

    private DirectPathBlock(string router, string table)
    {
        _router = router;
        _table = table;
    }

    public static async Task<DirectPathBlock> StartAsync(NatLab lab, NatSite site)
    {
        string table = $"{lab.Prefix}-block";
        var block = new DirectPathBlock(site.RouterNamespace, table);
        await NetworkBuilder.LoadRulesAsync(site.RouterNamespace, NatRules.DropAllUdpExcept(table, ServerAddresses));
        return block;
    }

    /// <summary>The NAT forgets every flow, the direct path's included, as a router reboot or a mapping timeout would.</summary>
    public Task FlushConntrackAsync() => Shell.InNamespaceAsync(_router, "conntrack", "-F");

    /// <summary>How many datagrams the block has dropped (its nft counter), so a test can show it bit.</summary>
    public async Task<long> DroppedAsync()
    {
        var listing = await Shell.InNamespaceAsync(_router, "nft", "list", "table", "ip", _table);
        var counter = CounterPattern().Match(listing.StandardOutput);
        return counter.Success ? long.Parse(counter.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Removes the rule: the direct path can come back.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _lifted, 1) == 0)
        {
            await Shell.RunAsync("ip", ["netns", "exec", _router, "nft", "delete", "table", "ip", _table], check: false);
        }
    }

    [GeneratedRegex(@"counter packets (\d+)")]
    private static partial Regex CounterPattern();
}
