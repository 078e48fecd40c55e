using System.CommandLine;
using System.Globalization;
using Punch.Peer.Cli;

namespace Punch.Peer.Netcheck;

/// <summary><c>punch netcheck --server HOST[:PORT] [--json] [--lifetime] [--lifetime-max SECONDS] [--bind ADDRESS[:PORT]]</c>.</summary>
internal static class NetcheckCommand
{
    private const double DefaultLifetimeMaxSeconds = 120;
    private const double LifetimeMaxLimitSeconds = 600;

    public static Command Build(TextWriter output, TextWriter error)
    {
        var server = new Option<string>("--server") { Description = "STUN server with RFC 5780 (a Punch rendezvous with Rendezvous:AlternateAddress, or coturn), HOST[:PORT] (port 3478 by default).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (schema: docs/peer-json.md)." };
        var lifetime = new Option<bool>("--lifetime") { Description = "Also probe how long the NAT keeps an idle mapping (takes up to --lifetime-max)." };
        var lifetimeMax = new Option<double>("--lifetime-max") { Description = $"Longest idle time the lifetime probe tries, in seconds (at most {LifetimeMaxLimitSeconds:0}). Default {DefaultLifetimeMaxSeconds:0}.", DefaultValueFactory = _ => DefaultLifetimeMaxSeconds };
        var bind = new Option<string?>("--bind") { Description = "Local ADDRESS[:PORT] for the mapping test socket (default 0.0.0.0:0)." };
        var noPortMapping = new Option<bool>("--no-port-mapping") { Description = "Do not ask the router for a port mapping (PCP, NAT-PMP, UPnP IGD); by default one is made and deleted at once." };
        var command = new Command("netcheck", "Discover this host's NAT behaviour (RFC 5780): public endpoint, mapping, filtering, hairpinning, port preservation, optionally mapping lifetime.");
        foreach (var option in new Option[] { server, json, lifetime, lifetimeMax, bind, noPortMapping })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            string? problem = EndPointText.TryResolve("--server", parseResult.GetValue(server)!, PeerRunOptions.DefaultServerPort, out var serverEndPoint);
            var bindEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0);
            if (problem is null && parseResult.GetValue(bind) is { } bindText)
            {
                problem = EndPointText.TryParseBind(bindText, out bindEndPoint);
            }

            double maxSeconds = parseResult.GetValue(lifetimeMax);
            if (problem is null && maxSeconds is < 2 or > LifetimeMaxLimitSeconds)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"--lifetime-max must be 2-{LifetimeMaxLimitSeconds:0} seconds (got {maxSeconds}).");
            }

            if (problem is not null)
            {
                await error.WriteLineAsync(problem);
                return ExitCodes.Usage;
            }

            var options = new NetcheckOptions(serverEndPoint, bindEndPoint, parseResult.GetValue(json), parseResult.GetValue(lifetime) ? TimeSpan.FromSeconds(maxSeconds) : null);
            // Alongside discovery, not after it: the router check costs at most its own wait. Not against a server on loopback (a test).
            var mapping = parseResult.GetValue(noPortMapping) || System.Net.IPAddress.IsLoopback(serverEndPoint.Address) ? null
                : PortMapping.PortMappingCheck.RunAsync(PortMapping.PortMappingSettings.ForThisHost(), bindEndPoint.Address, cancellationToken);
            // Also alongside: IPv6 reachability through the server's IPv6 endpoint when --server is IPv4.
            EndPointText.TrySplit("--server", parseResult.GetValue(server)!, PeerRunOptions.DefaultServerPort, out string serverHost, out _);
            var otherFamily = OtherFamilyCheck.RunAsync(serverEndPoint, serverHost, cancellationToken);
            var result = await NetcheckRunner.RunAsync(options, TimeProvider.System, cancellationToken);
            var mapped = mapping is null ? null : await mapping;
            var ipv6 = Ipv6Status.Of(serverEndPoint, result, await otherFamily);
            await output.WriteAsync(options.Json
                ? PortMapping.PortMappingCheck.AddToJson(NetcheckOutput.Json(serverEndPoint, result, ipv6), mapped) + Environment.NewLine
                : NetcheckOutput.Human(serverEndPoint, result, ipv6) + PortMapping.PortMappingCheck.Human(mapped));
            await output.FlushAsync(cancellationToken);
            return result.PublicEndPoint is null ? ExitCodes.NoPath : ExitCodes.Success;
        });
        return command;
    }
}
