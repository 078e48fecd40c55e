using System.Text.Json;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Punching;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Relay;

/// <summary>
/// Chat lines sent while the session moves from the relay to the direct path all arrive, once each,
/// in order: a chat peer feeds numbered lines to a <c>listen</c> peer, which echoes them back, across
/// two port-restricted NATs (which punch, so the switch happens). PR–PR punching is quicker than the
/// first lines, so the direct path is held back (<see cref="DirectPathBlock"/>) until the first
/// <see cref="EchoesOverTheRelay"/> echoes came back through the relay: the switch then falls
/// inside the stream every time.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class ChatAcrossSwitchTests(NatLab lab, ITestOutputHelper output)
{
    private const int Lines = 200;
    private const int EchoesOverTheRelay = 20;

    /// <summary>One line every 10 ms: the stream lasts some two seconds, the move to direct comes after a few hundred ms.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EchoLimit = TimeSpan.FromSeconds(30);

    [LabFact]
    public async Task Lines_sent_across_the_switch_to_direct_all_come_back_once_and_in_order()
    {
        var (listenerHost, chatHost) = LabPair.Named("PR-PR").Hosts(lab);
        string listenerName = PeerPair.FreshName(listenerHost, "listen"), chatName = PeerPair.FreshName(chatHost, "chat");
        await using var listener = lab.Start(listenerHost.Namespace, LabBinaries.PeerDll, PeerPair.CommonArguments("listen", listenerName));
        await listener.WaitForLineAsync(line => line.Contains("\"registered\"", StringComparison.Ordinal), StartLimit);
        var sent = Enumerable.Range(1, Lines).Select(i => $"line {i:D3}").ToList();
        await using var directPathBlock = await DirectPathBlock.StartAsync(lab, chatHost.Site);
        await using var chat = lab.Start(chatHost.Namespace, LabBinaries.PeerDll, [.. PeerPair.CommonArguments("connect", chatName), "--peer", listenerName]);

        // Feed from the first path (the relay) on; punching goes on meanwhile, blocked until enough echoes came back through the relay.
        await chat.WaitForLineAsync(line => PeerOutcome.EventOf(line) == "path", StartLimit);
        var feeding = FeedAsync(chat, sent);
        await chat.WaitForLineAsync(line => PeerOutcome.EventOf(line) == "message" && line.Contains(sent[EchoesOverTheRelay - 1], StringComparison.Ordinal), EchoLimit);
        await directPathBlock.DisposeAsync();
        await feeding;

        // End of input only once every echo is in: the chat peer leaves at end of input.
        string last = sent[^1];
        await chat.WaitForLineAsync(line => PeerOutcome.EventOf(line) == "message" && line.Contains(last, StringComparison.Ordinal), EchoLimit);
        chat.CloseInput();
        Assert.Equal(0, await chat.WaitForExitAsync(TimeSpan.FromSeconds(20)));

        var outcome = PeerOutcome.Parse(chatName, 0, chat.Lines, chat.Transcript());
        var echoed = outcome.All("message").Select(e => e.GetProperty("text").GetString()!).ToList();
        var heard = PeerOutcome.Parse(listenerName, 0, listener.Lines, listener.Transcript());
        int beforeDirect = MessagesBeforeDirect(heard) + MessagesBeforeDirect(outcome);
        output.WriteLine($"paths {string.Join('→', outcome.PathKinds)}; {echoed.Count} echoes; lines before the direct path: {MessagesBeforeDirect(heard)} at the listener, {MessagesBeforeDirect(outcome)} echoes");
        Assert.True(outcome.PathKinds is ["relayed", .., "direct"], $"expected the session to move from the relay to direct:\n{outcome}");
        Assert.Equal(sent, echoed);

        // The switch really fell inside the stream: lines (at the listener) or echoes (back here) arrived
        // before that side's move to direct, and the rest after it.
        Assert.True(beforeDirect is >= EchoesOverTheRelay and < 2 * Lines, $"expected messages on both sides of the switch, got {beforeDirect} before it:\n{outcome}\n{heard}");
    }

    private static async Task FeedAsync(LabProcess chat, IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            await chat.WriteLineAsync(line);
            await Task.Delay(Pace);
        }
    }

    private static int MessagesBeforeDirect(PeerOutcome outcome) => outcome.Events
        .TakeWhile(e => !(Event(e) == "path" && e.GetProperty("kind").GetString() == "direct"))
        .Count(e => Event(e) == "message");

    private static string? Event(JsonElement e) => e.GetProperty("event").GetString();
}
