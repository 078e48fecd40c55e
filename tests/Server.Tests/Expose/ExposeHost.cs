using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Peer.Expose;
using Punch.Server.Expose;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Expose;

/// <summary>A server on loopback with expose on (control port chosen by the OS, short timeouts); one per test.</summary>
public abstract class ExposeHost(IReadOnlyDictionary<string, string?>? extra = null) : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    protected TempDatabase Database { get; } = new();
    protected PunchAppFactory App { get; private set; } = null!;
    private readonly List<LocalService> _locals = [];
    private readonly List<ExposePeer> _peers = [];

    protected IPEndPoint Control => App.Services.GetRequiredService<ExposeEndpoint>().ControlEndPoint!;
    /// <summary>The server's UDP rendezvous: what <c>punch expose --server</c> names, as every command's --server does.</summary>
    protected IPEndPoint Rendezvous => App.Services.GetRequiredService<Punch.Server.Rendezvous.RendezvousEndpoint>().LocalEndPoint!;
    protected ExposeSnapshot Snapshot => App.Services.GetRequiredService<ExposeView>().Snapshot();

    public Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Expose:AllowedPorts"] = "1024-65535",
            ["Expose:ControlPort"] = "0",
            ["Expose:BindAddress"] = "127.0.0.1",
            ["Expose:KeepaliveInterval"] = "00:00:01",
            ["Expose:ControlTimeout"] = "00:00:03",
            ["Expose:AttachTimeout"] = "00:00:05",
            // Most tests expose in the unkeyed default network; the ownership tests turn this off again.
            ["Expose:AllowOpenNetworks"] = "true",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        App = new PunchAppFactory(Database, settings);
        _ = App.Services; // starts the host, binding the control port
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }

        foreach (var local in _locals)
        {
            local.Dispose();
        }

        await App.DisposeAsync();
        Database.Dispose();
    }

    protected static int FreePort() => LoopbackPorts.FreeTcpPort();

    protected LocalService StartLocal(LocalService.Mode mode, byte[]? payload = null)
    {
        var local = new LocalService(mode, payload ?? []);
        _locals.Add(local);
        return local;
    }

    /// <summary>
    /// Starts an in-process <c>punch expose</c> peer; <see cref="ExposePeer.WaitForExposedAsync"/> waits for the port. It connects to
    /// <paramref name="control"/> (default the control port) as <c>--control-port</c> would: these tests are about the control
    /// connection, not the rendezvous that announces the port (<see cref="ExposeServerFlagTests"/>).
    /// </summary>
    protected ExposePeer StartPeer(string name, IPEndPoint local, int publicPort, string network = PeerIdentity.DefaultNetwork, string? key = null, IPEndPoint? control = null,
        IPAddress? serverAddress = null)
    {
        var peer = ExposePeer.Start(new ExposeRunOptions
        {
            Server = serverAddress is null ? Rendezvous : new IPEndPoint(serverAddress, Rendezvous.Port),
            ControlPort = (control ?? Control).Port,
            Identity = new PeerIdentity(network, name),
            LocalHost = local.Address.ToString(),
            LocalPort = local.Port,
            PublicPort = (ushort)publicPort,
            Key = key,
            Json = true,
            FirstReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        });
        _peers.Add(peer);
        return peer;
    }

    protected async Task<ExposePeer> ExposeAsync(string name, IPEndPoint local, int publicPort)
    {
        var peer = StartPeer(name, local, publicPort);
        await peer.WaitForExposedAsync();
        return peer;
    }

    /// <summary>A local service of the given kind, exposed as <paramref name="name"/> on a free public port.</summary>
    protected async Task<(ExposePeer Peer, int Port)> ExposeLocalAsync(string name, LocalService.Mode mode, byte[]? payload = null)
    {
        var local = StartLocal(mode, payload);
        int port = FreePort();
        return (await ExposeAsync(name, local.EndPoint, port), port);
    }

    /// <summary>Connects to a public port on loopback, from <paramref name="from"/> (another 127.x address is another visitor address) or 127.0.0.1.</summary>
    protected static async Task<TcpClient> VisitAsync(int publicPort, IPAddress? from = null)
    {
        var client = new TcpClient(new IPEndPoint(from ?? IPAddress.Loopback, 0)) { NoDelay = true };
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, publicPort).WaitAsync(Timeout);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Whether a connection to the port is refused (nothing listens).</summary>
    protected static async Task<bool> IsRefusedAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeout);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return false; // Taken into the backlog of a listener that was closing: ask again.
        }
    }

    /// <summary>How many refusals of this kind (<see cref="ExposeRefusalKind"/>) the server counted since start.</summary>
    protected long Refused(ExposeRefusalKind kind) => Snapshot.Refusals.GetValueOrDefault(kind.ToString());

    /// <summary>A visit from <paramref name="from"/> (or 127.0.0.1) gets "ping" echoed back through the public port.</summary>
    protected static async Task AssertEchoesAsync(int port, IPAddress? from = null, TimeSpan? within = null)
    {
        var limit = within ?? Timeout;
#pragma warning disable CA2000 // disposed by the using; only a visit that outlives the time limit is left, and the test fails then
        using var visitor = await VisitAsync(port, from).WaitAsync(limit);
#pragma warning restore CA2000
        var stream = visitor.GetStream();
        await stream.WriteAsync("ping"u8.ToArray()).AsTask().WaitAsync(limit);
        var echo = new byte[4];
        await stream.ReadExactlyAsync(echo).AsTask().WaitAsync(limit);
        Assert.Equal("ping"u8.ToArray(), echo);
    }

    protected Task<long> EventCountAsync(string kind, string peer, long atLeast = 1) =>
        Eventually.WaitForAsync(() => Database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = '{kind}' AND Peer = '{peer}'"), n => n >= atLeast, $"{atLeast} {kind} event(s) of {peer}");

    /// <summary>Waits until the server holds no visitor connection of any service and none waits for an attach.</summary>
    protected Task WaitForNoVisitorsAsync() =>
        Eventually.WaitForAsync(() => Snapshot, s => s.PendingAttaches == 0 && s.Services.All(x => x.ActiveConnections == 0), "no visitor connection left on the server");
}
