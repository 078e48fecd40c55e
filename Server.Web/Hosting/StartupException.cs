namespace Punch.Server.Hosting;

/// <summary>
/// A component's refusal to start, with a message that names the setting (or port, or file) to fix.
/// <see cref="StartupGuard"/> prints the message as one line and exits with <see cref="ExitCode"/>:
/// 1 for a setting or the machine's state, 2 for bad usage of the command line.
/// </summary>
public sealed class StartupException(string message, Exception? innerException = null, int exitCode = StartupGuard.FailedExitCode)
    : Exception(message, innerException)
{
    public int ExitCode { get; } = exitCode;
}
