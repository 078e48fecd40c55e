using System.CommandLine;
using System.Net;
using Punch.Peer.Cli;

namespace Punch.Peer.Forwarding;

/// <summary>
/// <c>punch expose</c> and <c>punch forward</c>. Without <c>--public-port</c> expose publishes the
/// service to peers over the peer-to-peer path (this folder); with it, on a public TCP port of the
/// server (<see cref="Punch.Peer.Expose.ExposeCommand"/>).
/// </summary>
internal static class ForwardingCommands
{
    public static Command Expose(PeerCommandLine.CommonOptions common, TextWriter output, TextWriter error, TextReader input)
    {
        var local = new Option<string>("--local") { Description = "The local TCP service to publish, HOST:PORT (e.g. 127.0.0.1:8080).", Required = true };
        var secret = SecretOption();
        var publicPort = new Option<int?>("--public-port")
        {
            Description = "Publish on this TCP port of the server instead, for anyone (it must be in the server's Expose:AllowedPorts); "
                + "the server's rendezvous (--server) tells which TCP port to register the service on.",
        };
        var controlPort = new Option<int?>("--control-port")
        {
            Description = "With --public-port: the server's expose control port (TCP, on the --server host) instead of the one its rendezvous announces, "
                + "for a server whose control port is forwarded under another number.",
        };
        var command = new Command("expose", "Publish a local TCP service: to peers running 'punch forward', over the direct path (or the relay), encrypted end to end; "
            + "or with --public-port on a public TCP port of the server.");
        common.AddTo(command);
        command.Options.Add(local);
        command.Options.Add(secret);
        command.Options.Add(publicPort);
        command.Options.Add(controlPort);
        command.SetAction((parseResult, cancellationToken) =>
        {
            if (!common.TryRead(parseResult, output, error, input, out var options, out string? problem))
            {
                return PeerCommandLine.Usage(error, problem);
            }

            if (parseResult.GetValue(publicPort) is { } port)
            {
                return parseResult.GetValue(secret) is null
                    ? Punch.Peer.Expose.ExposeCommand.RunAsync(common.ServerText(parseResult), options, parseResult.GetValue(local)!, port, parseResult.GetValue(controlPort), output, error, cancellationToken)
                    : PeerCommandLine.Usage(error, "--secret is for peer-to-peer expose; with --public-port the server carries the bytes (use TLS in the service itself).");
            }

            if (parseResult.GetValue(controlPort) is not null)
            {
                return PeerCommandLine.Usage(error, "--control-port is for --public-port: peer-to-peer expose needs no control port.");
            }

            if ((problem = ReadEndPoint("--local", parseResult.GetValue(local)!, out var localEndPoint)) is not null)
            {
                return PeerCommandLine.Usage(error, problem);
            }

            return new PunchPeer(options).RunExposeAsync(new ExposeSettings { Local = localEndPoint, Secret = parseResult.GetValue(secret) }, cancellationToken);
        });
        return command;
    }

    public static Command Forward(PeerCommandLine.CommonOptions common, TextWriter output, TextWriter error, TextReader input)
    {
        var peer = new Option<string>("--peer") { Description = "The peer whose exposed service to reach.", Required = true };
        var listen = new Option<string>("--listen") { Description = "Local ADDRESS:PORT to accept TCP connections on (e.g. 127.0.0.1:9000).", Required = true };
        var timeout = new Option<double>("--timeout") { Description = "Seconds for the path to the peer to come up. Default 30.", DefaultValueFactory = _ => 30 };
        var secret = SecretOption();
        var command = new Command("forward", "Accept TCP connections locally and carry each to a peer's 'punch expose' service, encrypted end to end.");
        common.AddTo(command);
        foreach (var option in new Option[] { peer, listen, timeout, secret })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            if (!common.TryRead(parseResult, output, error, input, out var options, out string? problem)
                || (problem = ReadEndPoint("--listen", parseResult.GetValue(listen)!, out var listenEndPoint)) is not null)
            {
                return PeerCommandLine.Usage(error, problem);
            }

            options = options with { Peer = parseResult.GetValue(peer), Timeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)) };
            return new PunchPeer(options).RunForwardAsync(new ForwardSettings { Listen = listenEndPoint, Secret = parseResult.GetValue(secret) }, cancellationToken);
        });
        return command;
    }

    private static Option<string?> SecretOption() => new("--secret")
    {
        Description = "A secret both sides share, mixed into the stream keys: without it the server (which introduced the peers) could intercept the key exchange.",
    };

    private static string? ReadEndPoint(string flag, string text, out IPEndPoint endPoint)
    {
        string? problem = EndPointText.TryResolve(flag, text, 0, out endPoint);
        return problem ?? (endPoint.Port == 0 ? $"{flag} {text}: needs a port, like 127.0.0.1:8080." : null);
    }
}
