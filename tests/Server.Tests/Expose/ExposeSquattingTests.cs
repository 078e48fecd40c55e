using System.Net;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Server.Expose;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// Open networks allowed (Expose:AllowOpenNetworks=true), other limits at their defaults: a hostile
/// exposer can neither replace a live service by naming it nor take every allowed port.
/// </summary>
public sealed class ExposeSquattingTests : ExposeHost
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task A_hostile_exposer_with_the_same_name_does_not_take_visitors_from_the_live_service()
    {
        var local = StartLocal(LocalService.Mode.Echo);
        int port = FreePort();
        await ExposeAsync("web", local.EndPoint, port);

        var (hostile, answer) = await RawControlClient.RegisterAsync(Control, "web", port, from: Attacker);
        using var cleanup = hostile;
        hostile.KeepAlive();

        Assert.True(ErrorResponse.TryRead(answer.Span, out var refused), "the hostile registration took the port");
        Assert.StartsWith($"port {port} is held by a live service", refused.Reason);
        // Every visit still reaches the legitimate service (the hostile one would never echo).
        for (int i = 0; i < 4; i++)
        {
            await AssertEchoesAsync(port);
        }

        Assert.StartsWith("127.0.0.1:", Assert.Single(Snapshot.Services).PeerEndPoint);
        Assert.Equal(1, Refused(ExposeRefusalKind.PortHeld));
    }

    [Fact]
    public async Task One_address_exposes_at_most_four_services_whatever_networks_it_names()
    {
        var clients = new List<RawControlClient>();
        try
        {
            var answers = new List<ReadOnlyMemory<byte>>();
            for (int i = 0; i < 6; i++)
            {
                // Two invented networks, so Expose:MaxServicesPerNetwork (10) is not what stops it.
                var (client, answer) = await RawControlClient.RegisterAsync(Control, $"squat{i}", FreePort(), network: i % 2 == 0 ? "invented1" : "invented2", from: Attacker);
                clients.Add(client);
                client.KeepAlive();
                answers.Add(answer);
            }

            Assert.All(answers.Take(4), a => Assert.True(ExposeRegisterResponse.TryRead(a.Span, out _)));
            foreach (var answer in answers.Skip(4))
            {
                Assert.True(ErrorResponse.TryRead(answer.Span, out var refused), "a fifth service from one address was accepted");
                Assert.Equal(ExposeErrorCode.QuotaReached, refused.Code);
                Assert.Contains("Expose:MaxServicesPerAddress", refused.Reason);
            }

            Assert.Equal(2, Refused(ExposeRefusalKind.ServicesPerAddress));

            // Another address still gets a port.
            var (_, port) = await ExposeLocalAsync("web", LocalService.Mode.Echo);
            await AssertEchoesAsync(port);
            Assert.Equal(5, Snapshot.Services.Count);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
