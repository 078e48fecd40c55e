using System.Text.Json;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Punching;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Relay;

/// <summary>
/// Chat lines sent while the session moves from the relay to the direct path all arrive, once each,
/// in order: a chat peer feeds numbered lines to a <c>listen</c> peer, which echoes them back, across
/// two port-restricted NATs (which punch, so the switch happens).
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class ChatAcrossSwitchTests(NatLab lab, ITestOutputHelper output)
{
    private const int Lines = 200;

    /// <summary>
    /// One line every 5 ms: the stream lasts about a second and starts with the relayed path, while
    /// PR–PR punching takes some 50-150 ms more, so the switch falls early in the stream.
    /// </summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(5);

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EchoLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Lines_sent_across_the_switch_to_direct_all_come_back_once_and_in_order()
    {
        var (listenerHost, chatHost) = LabPair.Named("PR-PR").Hosts(lab);
        string listenerName = PeerPair.FreshName(listenerHost, "listen"), chatName = PeerPair.FreshName(chatHost, "chat");
        await using var listener = lab.Start(listenerHost.Namespace, LabBinaries.PeerDll, PeerPair.CommonArguments("listen", listenerName));
        await listener.WaitForLineAsync(line => line.Contains("\"registered\"", StringComparison.Ordinal), StartLimit);
        await using var chat = lab.Start(chatHost.Namespace, LabBinaries.PeerDll, [.. PeerPair.CommonArguments("connect", chatName), "--peer", listenerName]);

        // Start feeding once the first path (the relay) is up, so the stream runs across the move to direct.
        await chat.WaitForLineAsync(line => Event(line) == "path", StartLimit);
        var sent = Enumerable.Range(1, Lines).Select(i => $"line {i:D3}").ToList();
        foreach (string line in sent)
        {
            await chat.WriteLineAsync(line);
            await Task.Delay(Pace);
        }

        // End of input only once every echo is in: the chat peer leaves at end of input.
        string last = sent[^1];
        await chat.WaitForLineAsync(line => Event(line) == "message" && line.Contains(last, StringComparison.Ordinal), EchoLimit);
        chat.CloseInput();
        Assert.Equal(0, await chat.WaitForExitAsync(TimeSpan.FromSeconds(20)));

        var outcome = PeerOutcome.Parse(chatName, 0, chat.Lines, chat.Transcript());
        var echoed = outcome.All("message").Select(e => e.GetProperty("text").GetString()!).ToList();
        output.WriteLine($"paths {string.Join('→', outcome.PathKinds)}; {echoed.Count} echoes; before the direct path: {EchoesBeforeDirect(outcome)}");
        Assert.True(outcome.PathKinds is ["relayed", .., "direct"], $"expected the session to move from the relay to direct:\n{outcome}");
        Assert.Equal(sent, echoed);

        // The switch really fell inside the stream: echoes came back over the relay and over the direct path.
        int beforeDirect = EchoesBeforeDirect(outcome);
        Assert.True(beforeDirect is > 0 and < Lines, $"expected echoes on both sides of the switch, got {beforeDirect} before it:\n{outcome}");
    }

    private static int EchoesBeforeDirect(PeerOutcome outcome) => outcome.Events
        .TakeWhile(e => !(Event(e) == "path" && e.GetProperty("kind").GetString() == "direct"))
        .Count(e => Event(e) == "message");

    private static string? Event(JsonElement e) => e.GetProperty("event").GetString();

    private static string? Event(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        using var document = JsonDocument.Parse(line);
        return Event(document.RootElement);
    }
}
