using System.Net;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Peer.Cli;
using Punch.Server.Expose;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// With the server's defaults an exposed port is owned: networks without a key cannot expose, and a
/// live service is taken over only by a registration with the network's key and the secret its
/// holder was given, never by the name alone.
/// </summary>
public sealed class ExposeOwnershipTests() : ExposeHost(new Dictionary<string, string?>
{
    ["Expose:AllowOpenNetworks"] = "false", // the default, which ExposeHost turns on for the other tests
    ["Networks:secure:Key"] = Key,
})
{
    private const string Key = "correct horse battery staple";
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task A_network_without_a_key_is_refused_with_how_to_enable_it()
    {
        int port = FreePort();

        var (client, answer) = await RawControlClient.RegisterAsync(Control, "web", port);
        using var cleanup = client;

        Assert.True(ErrorResponse.TryRead(answer.Span, out var refused), "the registration was accepted");
        Assert.Equal(ExposeErrorCode.PortNotAllowed, refused.Code);
        Assert.Contains("network default has no key", refused.Reason);
        Assert.Contains("Expose:AllowOpenNetworks=true", refused.Reason);
        Assert.True(await IsRefusedAsync(port));
        Assert.Empty(Snapshot.Services);
        Assert.Equal(1, Refused(ExposeRefusalKind.OpenNetwork));
        await EventCountAsync("Rejected", "web");
    }

    [Fact]
    public async Task Punch_expose_in_a_network_without_a_key_prints_the_refusal_and_exits_non_zero()
    {
        var local = StartLocal(LocalService.Mode.Echo);
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exit = await PeerCommandLine.RunAsync(
            ["expose", "--server", Rendezvous.ToString(), "--name", "web", "--local", local.EndPoint.ToString(), "--public-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TextWriter.Synchronized(output), TextWriter.Synchronized(error), TextReader.Null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotEqual(ExitCodes.Success, exit);
        string printed = output.ToString() + error.ToString();
        Assert.Contains("network default has no key", printed);
        Assert.Contains("Expose:AllowOpenNetworks=true", printed);
        Assert.DoesNotContain("connecting again", printed);
    }

    [Fact]
    public async Task A_second_registration_with_the_key_but_without_the_secret_does_not_take_the_port()
    {
        int port = FreePort();
        var (holder, granted) = await RegisterHolderAsync(port);
        using var holderCleanup = holder;
        var holderEndPoint = Assert.Single(Snapshot.Services).PeerEndPoint;

        // Same network, same name, even the key: without the secret it is someone else.
        var (stranger, answer) = await RawControlClient.RegisterAsync(Control, "web", port, "secure", Key, from: Attacker);
        using var strangerCleanup = stranger;
        var (guesser, guessed) = await RawControlClient.RegisterAsync(Control, "web", port, "secure", Key, secret: granted.ServiceSecret + 1, from: Attacker);
        using var guesserCleanup = guesser;

        foreach (var refusal in new[] { answer, guessed })
        {
            Assert.True(ErrorResponse.TryRead(refusal.Span, out var refused), "the takeover was accepted");
            Assert.Equal(ExposeErrorCode.PortInUse, refused.Code);
            Assert.StartsWith($"port {port} is held by a live service", refused.Reason);
            Assert.DoesNotContain("127.0.0.1", refused.Reason);
        }

        Assert.Equal(holderEndPoint, Assert.Single(Snapshot.Services).PeerEndPoint);
        Assert.Equal(2, Refused(ExposeRefusalKind.PortHeld));
    }

    [Fact]
    public async Task The_holder_reconnecting_with_its_secret_takes_its_port_over()
    {
        int port = FreePort();
        // The old connection is neither closed nor reset: the peer's network changed, say, and the server has not noticed.
        var (stale, granted) = await RegisterHolderAsync(port);
        using var staleCleanup = stale;
        Assert.Equal(stale.LocalEndPoint, Assert.Single(Snapshot.Services).PeerEndPoint);

        var (fresh, second) = await RawControlClient.RegisterAsync(Control, "web", port, "secure", Key, secret: granted.ServiceSecret);
        using var freshCleanup = fresh;
        fresh.KeepAlive();

        Assert.True(ExposeRegisterResponse.TryRead(second.Span, out var regranted), "the holder's takeover was refused");
        Assert.NotEqual(granted.ServiceSecret, regranted.ServiceSecret);
        Assert.True(await stale.WaitClosedAsync());
        var service = Assert.Single(Snapshot.Services);
        Assert.Equal(("web", fresh.LocalEndPoint), (service.Peer, service.PeerEndPoint));
        Assert.Equal(0, Refused(ExposeRefusalKind.PortHeld));
    }

    /// <summary>"web" of the keyed network takes <paramref name="port"/> and keeps its control connection alive; returns it with the server's answer.</summary>
    private async Task<(RawControlClient Holder, ExposeRegisterResponse Granted)> RegisterHolderAsync(int port)
    {
        var (holder, answer) = await RawControlClient.RegisterAsync(Control, "web", port, "secure", Key);
        holder.KeepAlive();
        Assert.True(ExposeRegisterResponse.TryRead(answer.Span, out var granted), "the first registration was refused");
        return (holder, granted);
    }
}
