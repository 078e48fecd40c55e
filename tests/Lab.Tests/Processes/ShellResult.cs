namespace Punch.Lab.Tests.Processes;

public sealed record ShellResult(int ExitCode, string StandardOutput, string StandardError);
