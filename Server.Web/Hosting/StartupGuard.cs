using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Punch.Server.Hosting;

/// <summary>
/// Runs the server so that a start it must refuse ends as one line on stderr and exit code 1 (2 for
/// bad usage), never as an unhandled exception: .NET prints that with a stack trace and aborts the
/// process (SIGABRT, exit code 134). It knows the refusals of every component: options validation
/// (ValidateOnStart), <see cref="StartupException"/>, and an address in use (Kestrel's IOException,
/// a SocketException). Anything else is a bug and stays loud.
/// </summary>
public sealed class StartupGuard(TextWriter error)
{
    public const int FailedExitCode = 1;
    public const int UsageExitCode = 2;

    /// <summary>
    /// The host logs a failed start ("Hosting failed to start") with the exception's stack trace; the
    /// guard's own line says the same in one line, so the console skips that category until the start is over.
    /// </summary>
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _started;

    /// <summary>
    /// Whether this assembly is the process's entry point. Under a test host (WebApplicationFactory runs
    /// Program's Main on a thread of its own) the refusal must reach the factory as the exception it is.
    /// </summary>
    private static bool IsProcessEntry => Assembly.GetEntryAssembly() == typeof(StartupGuard).Assembly;

    /// <summary>Runs <paramref name="serve"/> (build the app and run it); its exit code.</summary>
    public int Run(Action serve)
    {
        try
        {
            serve();
            return 0;
        }
        catch (Exception exception) when (IsProcessEntry && Describe(exception) is { } line)
        {
            error.WriteLine(line);
            return exception is StartupException { ExitCode: var code } ? code : FailedExitCode;
        }
    }

    /// <summary>Keeps the host's stack trace of a failed start off the console; later errors of the host are logged as usual.</summary>
    public void Attach(WebApplicationBuilder builder) =>
        builder.Logging.AddFilter<ConsoleLoggerProvider>(HostCategory, level => _started ? level >= LogLevel.Information : level >= LogLevel.Critical);

    public void Attach(WebApplication app) => app.Lifetime.ApplicationStarted.Register(() => _started = true);

    /// <summary>The one line for a refusal; null for an exception that is not one (a bug, or the test host's own stop signal).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        StartupException refusal => OneLine(refusal.Message),
        OptionsValidationException invalid => string.Join(" ", invalid.Failures.Select(OneLine)),
        AggregateException many when many.InnerExceptions.Count > 0 && many.InnerExceptions.All(e => Describe(e) is not null) =>
            string.Join(" ", many.InnerExceptions.Select(Describe).Distinct()),
        // Kestrel: "Failed to bind to address http://127.0.0.1:5080: address already in use."
        IOException bind when IsAddressInUse(bind) => $"{OneLine(bind.Message)} Set Urls (--urls or ASPNETCORE_URLS) to a free port, or stop what uses it.",
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } socket => $"{OneLine(socket.Message)}: a port the server binds is in use.",
        _ => null,
    };

    private static bool IsAddressInUse(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    private static string OneLine(string text) => string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
