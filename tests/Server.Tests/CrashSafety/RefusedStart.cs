namespace Punch.Server.Tests.CrashSafety;

/// <summary>How a server that refused to start ended: its exit code and its output, line by line.</summary>
public sealed record RefusedStart(int ExitCode, string[] Stdout, string[] Stderr)
{
    public IEnumerable<string> StderrLines => Stderr.Where(l => l.Trim().Length > 0);

    /// <summary>A frame of a .NET stack trace ("   at Type.Method(...)"), however a logger indented it, or .NET's crash banner.</summary>
    public bool HasStackTrace => Stdout.Concat(Stderr).Any(l =>
        l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Unhandled exception", StringComparison.Ordinal));
}
