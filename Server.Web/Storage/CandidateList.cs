namespace Punch.Server.Storage;

/// <summary>Candidates are stored as one newline-joined column: readable in the sqlite shell, no JSON needed.</summary>
public static class CandidateList
{
    public static string Join(IEnumerable<string> candidates) => string.Join('\n', candidates);

    public static IReadOnlyList<string> Split(string joined) =>
        joined.Length == 0 ? [] : joined.Split('\n');
}
