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

    /// <summary>"direct" or "relayed" from the first path event, null if none came up.</summary>
    public string? PathKind => First("path")?.GetProperty("kind").GetString();

    public string? Remote => First("path")?.GetProperty("remote").GetString();

    /// <summary>From start of the punch to the path (the path event's <c>elapsedMs</c>).</summary>
    public double? TimeToPathMs => First("path")?.GetProperty("elapsedMs").GetDouble();

    public string? FailureReason => First("failed")?.GetProperty("reason").GetString();

    public bool IsDirect => ExitCode == 0 && PathKind == "direct";

    public override string ToString() => $"{Name}: exit {ExitCode}, path {PathKind ?? "none"} {Remote}, failure '{FailureReason}'\n{Transcript}";
}
