using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Peer.Output;

namespace Punch.Peer;

/// <summary>Everything one run of a peer needs; the command line fills it, and tests can build it directly.</summary>
public sealed record PeerRunOptions
{
    public const int DefaultServerPort = 3478;

    /// <summary>The rendezvous server (IPv4).</summary>
    public required IPEndPoint Server { get; init; }

    public required string Name { get; init; }
    public string Network { get; init; } = PeerIdentity.DefaultNetwork;

    /// <summary>The network's key (<c>--key</c> or <c>PUNCH_KEY</c>); null in a network without one. Requests are signed with a key derived from it.</summary>
    public string? Key { get; init; }

    /// <summary>The peer to connect to (connect only).</summary>
    public string? Peer { get; init; }

    /// <summary>Pings to send (connect only); null runs a chat over <see cref="Input"/>.</summary>
    public int? Count { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a peer keeps answering after its own pings are done, so the other side can finish too.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a path may take to come up, counted from the start (registration and waiting for the peer included).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Local address of the socket; 0.0.0.0:0 by default. Bound to one address, that address is the only host candidate.</summary>
    public IPEndPoint Bind { get; init; } = new(IPAddress.Any, 0);

    /// <summary>Relay at once and punch meanwhile (the default), or only one of them (<c>--relay-only</c>, <c>--direct-only</c>).</summary>
    public PathPolicy Paths { get; init; } = PathPolicy.RelayThenDirect;

    /// <summary>Ask the router for a port mapping (PCP, NAT-PMP, UPnP IGD) and offer it as a mapped candidate; <c>--no-port-mapping</c> turns it off.</summary>
    public bool PortMapping { get; init; } = true;

    /// <summary>Test hook: where the gateway and SSDP are (fakes on loopback); null: the default route's gateway and the SSDP multicast group.</summary>
    internal PortMapping.PortMappingSettings? PortMappingSettings { get; init; }

    /// <summary>
    /// How this run asks for a mapping, or null when it does not: turned off, or the server is on loopback (the peers are on
    /// this machine, where a router mapping cannot help, and a test run must not talk to the real router).
    /// </summary>
    internal PortMapping.PortMappingSettings? EffectivePortMapping =>
        !PortMapping ? null : PortMappingSettings ?? (IPAddress.IsLoopback(Server.Address) ? null : global::Punch.Peer.PortMapping.PortMappingSettings.ForThisHost());

    public bool Json { get; init; }
    public TextWriter Output { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;
    public TextReader Input { get; init; } = Console.In;

    /// <summary>Also receives every event (tests read these rather than parsing output).</summary>
    public Action<PeerEvent>? OnEvent { get; init; }

    /// <summary>Test hook: true for an endpoint whose datagrams to and from the main socket are lost (a NAT that dropped the mapping).</summary>
    internal Func<IPEndPoint, bool>? LoseTraffic { get; init; }

    /// <summary>Test hook: sees the host once its socket is open (e.g. to count port prediction sockets).</summary>
    internal Action<Hosting.PeerHost>? HostOpened { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
    public PunchOptions Punch { get; init; } = new();

    public PeerIdentity Identity => new(Network, Name);

    /// <summary>What is wrong with --name, --network or --key (every command that registers has them), or null.</summary>
    public static string? ValidateIdentity(string? name, string? network, string? key)
    {
        if ((PeerIdentity.Validate(name, "--name") ?? PeerIdentity.Validate(network, "--network")) is { } problem)
        {
            return problem;
        }

        return key is not null && key.Length < MessageAuthentication.MinKeyLength
            ? $"--key (or PUNCH_KEY) must be at least {MessageAuthentication.MinKeyLength} characters (got {key.Length})."
            : null;
    }

    /// <summary>What is wrong with the options (a sentence naming the flag), or null.</summary>
    public string? Validate(bool connect)
    {
        string? problem = ValidateIdentity(Name, Network, Key);
        if (problem is not null)
        {
            return problem;
        }

        if (connect)
        {
            if ((problem = PeerIdentity.Validate(Peer, "--peer")) is not null)
            {
                return problem;
            }

            if (Peer == Name)
            {
                return "--peer must name another peer than --name.";
            }
        }

        return (Count, Interval, Linger, Timeout) switch
        {
            ({ } count, _, _, _) when count <= 0 => $"--count must be at least 1 (got {count}).",
            (_, var interval, _, _) when interval <= TimeSpan.Zero => "--interval must be more than 0 seconds.",
            (_, _, var linger, _) when linger < TimeSpan.Zero => "--linger must be 0 seconds or more.",
            (_, _, _, var timeout) when timeout <= TimeSpan.Zero => "--timeout must be more than 0 seconds.",
            _ => Punch.Validate(),
        };
    }
}
