using System.Globalization;
using Punch.Core.Protocol;
using Punch.Peer.Cli;

namespace Punch.Peer.Expose;

/// <summary><c>punch expose --server HOST[:PORT] --name NAME --local HOST:PORT --public-port N [--control-port N] [--network NET] [--key KEY] [--json]</c>: the server carries the bytes.</summary>
internal static class ExposeCommand
{
    /// <summary>Runs the server mode of <c>punch expose</c>, with the flags the command line already read (<see cref="Forwarding.ForwardingCommands"/>).</summary>
    public static async Task<int> RunAsync(string server, PeerRunOptions peer, string local, int publicPort, int? controlPort, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? problem = TryRead(server, peer.Name, peer.Network, local, publicPort, controlPort, peer.Key, peer.Json, out var options);
        if (problem is not null)
        {
            await error.WriteLineAsync(problem);
            return ExitCodes.Usage;
        }

        return await new ExposeClient(options, new ExposeReporter(output, options.Json), TimeProvider.System).RunAsync(cancellationToken);
    }

    /// <summary>Checks every flag; returns the first problem (naming the flag), or null with the options.</summary>
    /// <param name="server">The rendezvous, HOST[:PORT] as for <c>punch connect</c>.</param>
    /// <param name="controlPort"><c>--control-port</c>, or null to ask the rendezvous for it.</param>
    public static string? TryRead(string server, string name, string network, string local, int port, int? controlPort, string? key, bool json, out ExposeRunOptions options)
    {
        options = null!;
        if (port is < 1 or > 65535)
        {
            return string.Create(CultureInfo.InvariantCulture, $"--public-port must be 1-65535 (got {port}).");
        }

        if (controlPort is < 1 or > 65535)
        {
            return string.Create(CultureInfo.InvariantCulture, $"--control-port must be 1-65535 (got {controlPort}).");
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

        if (EndPointText.TryResolve("--server", server, PeerRunOptions.DefaultServerPort, out var serverEndPoint) is { } badServer)
        {
            return badServer;
        }

        options = new ExposeRunOptions
        {
            Server = serverEndPoint,
            ControlPort = controlPort,
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
