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

    public JsonElement? First(string eventName) => Events.Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("event").GetString() == eventName);

    public int Count(string eventName) => Events.Count(e => e.GetProperty("event").GetString() == eventName);

    /// <summary>
    /// The path that matters: sessions start on the relay and move to a punched path when one comes up,
    /// so the first direct <c>path</c> event if there is one, else the first path (the relay).
    /// </summary>
    private JsonElement? MainPath => Events.Cast<JsonElement?>().FirstOrDefault(e => IsPath(e!.Value, "direct")) ?? First("path");

    /// <summary>"direct" once a direct path came up, "relayed" when only the relay did, null if neither.</summary>
    public string? PathKind => MainPath?.GetProperty("kind").GetString();

    public string? Remote => MainPath?.GetProperty("remote").GetString();

    /// <summary>From start of the punch to that path (its <c>elapsedMs</c>).</summary>
    public double? TimeToPathMs => MainPath?.GetProperty("elapsedMs").GetDouble();

    public string? FailureReason => First("failed")?.GetProperty("reason").GetString();

    /// <summary>Why punching gave up: the failure, or (when the relay carries the session) the warning that says so.</summary>
    public string? PunchingFailure => FailureReason ?? Events
        .Where(e => e.GetProperty("event").GetString() == "warning")
        .Select(e => e.GetProperty("text").GetString())
        .FirstOrDefault(text => text?.StartsWith("no direct path", StringComparison.Ordinal) == true);

    public bool IsDirect => ExitCode == 0 && PathKind == "direct";

    public bool IsRelayedOnly => ExitCode == 0 && PathKind == "relayed";

    private static bool IsPath(JsonElement e, string kind) =>
        e.GetProperty("event").GetString() == "path" && e.GetProperty("kind").GetString() == kind;

    public override string ToString() => $"{Name}: exit {ExitCode}, path {PathKind ?? "none"} {Remote}, failure '{FailureReason}'\n{Transcript}";
}
