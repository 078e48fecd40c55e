using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using Punch.Core.Protocol;

namespace Punch.Peer.Cli;

/// <summary>
/// The <c>punch</c> command line: <c>connect</c> and <c>listen</c> and their flags. Syntax errors
/// are caught here; value rules (names, ranges) live in <see cref="PeerRunOptions.Validate"/> so
/// in-process callers get the same checks. Either way: a message on stderr and exit 2.
/// </summary>
public static class PeerCommandLine
{
    /// <summary>Where the network key comes from when <c>--key</c> is not given (a flag is visible in the process list, the environment is not).</summary>
    public const string KeyVariable = "PUNCH_KEY";

    /// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> unless a test gives its own.</param>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, TextReader input, CancellationToken cancellationToken, Func<string, string?>? environment = null)
    {
        var root = Build(output, error, input, environment ?? Environment.GetEnvironmentVariable);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync("Run 'punch --help' (or 'punch connect --help') for usage.");
            return ExitCodes.Usage;
        }

        // Termination is ours (Program turns SIGINT/SIGTERM into the token), so the peer can unregister before exiting.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }

    public static RootCommand Build(TextWriter output, TextWriter error, TextReader input, Func<string, string?> environment)
    {
        var common = new CommonOptions(environment);
        var peer = new Option<string>("--peer") { Description = "The peer to connect to.", Required = true };
        var count = new Option<int?>("--count") { Description = "Send N pings and print their round-trip times, instead of chatting over stdin." };
        var timeout = SecondsOption("--timeout", 30, "Seconds for a path to come up, from start (registration and waiting for the peer included).");
        var interval = SecondsOption("--interval", 1, "Seconds between pings.");
        var linger = SecondsOption("--linger", 2, "Seconds to keep answering the peer after our own pings are done.");

        var connect = new Command("connect", "Register, ask the server for a peer, punch a direct path, then ping it or chat with it.");
        common.AddTo(connect);
        foreach (var option in new Option[] { peer, count, timeout, interval, linger })
        {
            connect.Options.Add(option);
        }

        connect.SetAction((parseResult, cancellationToken) =>
        {
            if (!common.TryRead(parseResult, output, error, input, out var options, out string? problem))
            {
                return Usage(error, problem);
            }

            options = options with
            {
                Peer = parseResult.GetValue(peer),
                Count = parseResult.GetValue(count),
                Timeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
                Interval = TimeSpan.FromSeconds(parseResult.GetValue(interval)),
                Linger = TimeSpan.FromSeconds(parseResult.GetValue(linger)),
            };
            return new PunchPeer(options).RunConnectAsync(cancellationToken);
        });

        var listen = new Command("listen", "Register and accept introductions from any peer of the network: answer pings, echo lines, until stopped.");
        common.AddTo(listen);
        listen.SetAction((parseResult, cancellationToken) => common.TryRead(parseResult, output, error, input, out var options, out string? problem)
            ? new PunchPeer(options).RunListenAsync(cancellationToken)
            : Usage(error, problem));

        var root = new RootCommand("punch: meet another peer through a Punch rendezvous server and talk to it over a direct UDP path.");
        root.Subcommands.Add(connect);
        root.Subcommands.Add(listen);
        root.Subcommands.Add(Netcheck.NetcheckCommand.Build(output, error));
        root.Subcommands.Add(Forwarding.ForwardingCommands.Expose(common, output, error, input));
        root.Subcommands.Add(Forwarding.ForwardingCommands.Forward(common, output, error, input));
        return root;
    }

    internal static async Task<int> Usage(TextWriter error, string? problem)
    {
        await error.WriteLineAsync(problem);
        return ExitCodes.Usage;
    }

    private static Option<double> SecondsOption(string name, double defaultSeconds, string description) =>
        new(name) { Description = description + $" Default {defaultSeconds}.", DefaultValueFactory = _ => defaultSeconds };

    /// <summary>The flags both commands share, and turning them into <see cref="PeerRunOptions"/>.</summary>
    internal sealed class CommonOptions
    {
        private readonly Func<string, string?> _environment;
        private readonly Option<string> _server = new("--server") { Description = "Rendezvous server, HOST[:PORT] (port 3478 by default).", Required = true };
        private readonly Option<string> _name = new("--name") { Description = "This peer's name: 1-64 of A-Z a-z 0-9 . _ -", Required = true };
        private readonly Option<string> _network = new("--network") { Description = "Network to register in.", DefaultValueFactory = _ => PeerIdentity.DefaultNetwork };
        private readonly Option<string?> _bind = new("--bind") { Description = "Local ADDRESS[:PORT] for the UDP socket (default 0.0.0.0:0)." };
        private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object per line (schema: docs/peer-json.md)." };
        private readonly Option<bool> _relayOnly = new("--relay-only") { Description = "Never punch: talk through the server's relay only." };
        private readonly Option<bool> _directOnly = new("--direct-only") { Description = "Never relay: punch a direct path, or fail saying why punching failed." };
        private readonly Option<bool> _noPortMapping = new("--no-port-mapping") { Description = "Do not ask the router for a port mapping (PCP, NAT-PMP, UPnP IGD); by default a granted one is offered to peers as a mapped candidate and deleted on exit." };
        private readonly Option<string?> _key = new("--key") { Description = $"The network's key, when the server requires one (at least 16 characters). Default: the {KeyVariable} environment variable." };

        public CommonOptions(Func<string, string?> environment)
        {
            _environment = environment;
            _server.Validators.Add(result => AddProblem(result, EndPointText.TrySplit("--server", result.GetValueOrDefault<string>() ?? string.Empty, PeerRunOptions.DefaultServerPort, out _, out _)));
            _bind.Validators.Add(result => AddProblem(result, result.GetValueOrDefault<string?>() is { } text ? EndPointText.TryParseBind(text, out _) : null));
        }

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _server, _name, _network, _bind, _json, _key, _relayOnly, _directOnly, _noPortMapping })
            {
                command.Options.Add(option);
            }
        }

        /// <summary>--server as given, for commands that check it with their own flags (<c>punch expose --public-port</c>).</summary>
        public string ServerText(ParseResult parseResult) => parseResult.GetValue(_server)!;

        /// <summary>Builds the options; resolving the server's name happens here, so an unknown host is a usage error too.</summary>
        public bool TryRead(ParseResult parseResult, TextWriter output, TextWriter error, TextReader input, out PeerRunOptions options, out string? problem)
        {
            options = null!;
            problem = EndPointText.TryResolve("--server", parseResult.GetValue(_server)!, PeerRunOptions.DefaultServerPort, out var server);
            var bind = new IPEndPoint(IPAddress.Any, 0);
            if (problem is null && parseResult.GetValue(_bind) is { } bindText)
            {
                problem = EndPointText.TryParseBind(bindText, out bind);
            }

            bool relayOnly = parseResult.GetValue(_relayOnly);
            bool directOnly = parseResult.GetValue(_directOnly);
            if (problem is null && relayOnly && directOnly)
            {
                problem = "--relay-only and --direct-only exclude each other: with both, no path is allowed.";
            }

            if (problem is not null)
            {
                return false;
            }

            options = new PeerRunOptions
            {
                Server = server,
                Name = parseResult.GetValue(_name)!,
                Network = parseResult.GetValue(_network)!,
                Bind = bind,
                Json = parseResult.GetValue(_json),
                PortMapping = !parseResult.GetValue(_noPortMapping),
                Paths = relayOnly ? PathPolicy.RelayOnly : directOnly ? PathPolicy.DirectOnly : PathPolicy.RelayThenDirect,
                // The flag wins; an empty variable counts as unset.
                Key = parseResult.GetValue(_key) ?? (_environment(KeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null),
                Output = output,
                Error = error,
                Input = input,
            };
            return true;
        }

        private static void AddProblem(OptionResult result, string? problem)
        {
            if (problem is not null)
            {
                result.AddError(problem);
            }
        }
    }
}
