using System.Text.Json;

namespace Punch.Lab.Tests.Punching;

/// <summary>What one <c>punch connect --json</c> run said: its exit code and its event lines (docs/peer-json.md).</summary>
public sealed record PeerOutcome(string Name, int ExitCode, IReadOnlyList<JsonElement> Events, string Transcript)
{
    public static PeerOutcome Parse(string name, int exitCode, IEnumerable<string> lines, string transcript)
    {
        var events = new List<JsonElement>();
        foreach (string line in lines.Where(l => l.StartsWith('{')))
        {
            using var document = JsonDocument.Parse(line);
            events.Add(document.RootElement.Clone());
        }

        return new PeerOutcome(name, exitCode, events, transcript);
    }

    /// <summary>The <c>event</c> of one output line, null for a line that is not JSON: for watching a peer while it runs.</summary>
    public static string? EventOf(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("event").GetString();
    }

    /// <summary>Whether a line is a <c>path</c> event of that kind.</summary>
    public static bool IsPath(string line, string kind) => EventOf(line) == "path" && line.Contains($"\"kind\":\"{kind}\"", StringComparison.Ordinal);

    public JsonElement? First(string eventName) => Events.Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("event").GetString() == eventName);

    public IReadOnlyList<JsonElement> All(string eventName) => [.. Events.Where(e => e.GetProperty("event").GetString() == eventName)];

    public int Count(string eventName) => All(eventName).Count;

    /// <summary>The kinds of every <c>path</c> event in order: sessions start "relayed" and move to "direct" (docs/peer-json.md, "Paths").</summary>
    public IReadOnlyList<string> PathKinds => [.. All("path").Select(e => e.GetProperty("kind").GetString()!)];

    /// <summary>"direct" or "relayed": the path the run ended on (its last path event), null if none came up.</summary>
    public string? PathKind => LastPath?.GetProperty("kind").GetString();

    public string? Remote => LastPath?.GetProperty("remote").GetString();

    /// <summary>
    /// From start of the punch to the path the run ended on (<c>elapsedMs</c> of the first path event
    /// of that kind): the time to the direct path of a pair that moved off the relay.
    /// </summary>
    public double? TimeToPathMs => All("path").Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("kind").GetString() == PathKind)?.GetProperty("elapsedMs").GetDouble();

    public string? FailureReason => First("failed")?.GetProperty("reason").GetString();

    public IReadOnlyList<string> Warnings => [.. All("warning").Select(e => e.GetProperty("text").GetString()!)];

    public bool IsDirect => ExitCode == 0 && PathKind == "direct";

    public bool IsRelayed => ExitCode == 0 && PathKind == "relayed";

    private JsonElement? LastPath => All("path").Cast<JsonElement?>().LastOrDefault();

    public override string ToString() => $"{Name}: exit {ExitCode}, path {PathKind ?? "none"} {Remote}, failure '{FailureReason}'\n{Transcript}";
}
