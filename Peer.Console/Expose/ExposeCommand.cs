using System.CommandLine;
using System.Globalization;
using Punch.Core.Protocol;
using Punch.Peer.Cli;

namespace Punch.Peer.Expose;

/// <summary><c>punch expose --server HOST[:PORT] --name NAME --local HOST:PORT --public-port N [--network NET] [--key KEY] [--json]</c>.</summary>
internal static class ExposeCommand
{
    public const string PeerToPeerUnavailable =
        "punch expose: peer-to-peer expose is not available in this build; give --public-port N to publish the service on the server's port N.";

    public static Command Build(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var server = new Option<string>("--server") { Description = $"The server's expose control port, HOST[:PORT] (port {ExposeRunOptions.DefaultControlPort} by default, the server's Expose:ControlPort).", Required = true };
        var name = new Option<string>("--name") { Description = "The service's name: 1-64 of A-Z a-z 0-9 . _ -", Required = true };
        var network = new Option<string>("--network") { Description = "Network the service belongs to (its key signs the registration).", DefaultValueFactory = _ => PeerIdentity.DefaultNetwork };
        var local = new Option<string>("--local") { Description = "The local TCP service to publish, HOST:PORT (e.g. 127.0.0.1:8080).", Required = true };
        var publicPort = new Option<int?>("--public-port") { Description = "Publish on this TCP port of the server (it must be in the server's Expose:AllowedPorts)." };
        var key = new Option<string?>("--key") { Description = $"The network's key, when the server requires one (at least 16 characters). Default: the {PeerCommandLine.KeyVariable} environment variable." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line (schema: docs/peer-json.md)." };
        var command = new Command("expose", "Publish a local TCP service: through the server's public port (--public-port), until stopped.");
        foreach (var option in new Option[] { server, name, network, local, publicPort, key, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var keyText = parseResult.GetValue(key) ?? (environment(PeerCommandLine.KeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
            string? problem = TryRead(parseResult.GetValue(server)!, parseResult.GetValue(name)!, parseResult.GetValue(network)!, parseResult.GetValue(local)!,
                parseResult.GetValue(publicPort), keyText, parseResult.GetValue(json), out var options);
            if (problem is not null)
            {
                await error.WriteLineAsync(problem);
                return ExitCodes.Usage;
            }

            return await new ExposeClient(options, new ExposeReporter(output, options.Json), TimeProvider.System).RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>Checks every flag; returns the first problem (naming the flag), or null with the options.</summary>
    public static string? TryRead(string server, string name, string network, string local, int? publicPort, string? key, bool json, out ExposeRunOptions options)
    {
        options = null!;
        if (publicPort is not { } port)
        {
            return PeerToPeerUnavailable;
        }

        if (port is < 1 or > 65535)
        {
            return string.Create(CultureInfo.InvariantCulture, $"--public-port must be 1-65535 (got {port}).");
        }

        if (PeerRunOptions.ValidateIdentity(name, network, key) is { } badIdentity)
        {
            return badIdentity;
        }

        if (EndPointText.TrySplit("--local", local, 0, out string localHost, out int localPort) is { } badLocal)
        {
            return badLocal;
        }

        if (localPort == 0)
        {
            return $"--local {local}: give the port of the local service, like 127.0.0.1:8080.";
        }

        if (EndPointText.TryResolve("--server", server, ExposeRunOptions.DefaultControlPort, out var serverEndPoint) is { } badServer)
        {
            return badServer;
        }

        options = new ExposeRunOptions
        {
            Server = serverEndPoint,
            Identity = new PeerIdentity(network, name),
            LocalHost = localHost,
            LocalPort = localPort,
            PublicPort = (ushort)port,
            Key = key,
            Json = json,
        };
        return null;
    }
}
