using System.Net;
using System.Net.Sockets;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Peer.Expose;

namespace Punch.Peer.Tests;

/// <summary>
/// The service secret: <c>punch expose</c> keeps what the server gave it at registration and shows it
/// when its control connection is made again, which is how the server knows the reconnect is the holder.
/// </summary>
public sealed class ExposeSecretTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_reconnecting_peer_shows_the_secret_of_its_last_registration()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var client = new ExposeClient(new ExposeRunOptions
        {
            Server = (IPEndPoint)server.LocalEndpoint,
            ControlPort = ((IPEndPoint)server.LocalEndpoint).Port,
            Identity = new PeerIdentity("home", "web"),
            LocalHost = "127.0.0.1",
            LocalPort = 8080,
            PublicPort = 18080,
            FirstReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        }, new ExposeReporter(TextWriter.Null, json: true), TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var run = client.RunAsync(stop.Token);
        var secrets = new List<UInt128>();
        try
        {
            for (int connection = 0; connection < 3; connection++)
            {
                using var socket = await server.AcceptSocketAsync().WaitAsync(Timeout);
                using var channel = new ControlChannel(new NetworkStream(socket, ownsSocket: false), Timeout);
                var message = await channel.ReadAsync(CancellationToken.None).WaitAsync(Timeout);
                Assert.True(ExposeRegisterRequest.TryRead(message.Span, out var register));
                if (connection == 0)
                {
                    Assert.Null(register.ServiceSecret);
                }
                else
                {
                    Assert.Equal(secrets[^1], register.ServiceSecret);
                }

                // A new secret each time (the server rotates it on a takeover), then the connection drops.
                var secret = new UInt128((ulong)Random.Shared.NextInt64(), (ulong)Random.Shared.NextInt64());
                secrets.Add(secret);
                await channel.SendAsync(new ExposeRegisterResponse(register.TransactionId, 18080, TimeSpan.FromSeconds(10), secret).WriteTo, CancellationToken.None).WaitAsync(Timeout);
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(Timeout);
        }

        Assert.Equal(3, secrets.Distinct().Count());
    }
}
