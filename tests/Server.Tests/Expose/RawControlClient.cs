using System.Net;
using System.Net.Sockets;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// A control connection driven by hand: registers, then does only what the test says, so a test can
/// be a peer that crashes (reset), hangs (no keepalives, no attach), or speaks out of turn.
/// </summary>
public sealed class RawControlClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly CancellationTokenSource _stop = new();
    private ControlChannel _channel = null!;

    /// <summary>Registers <paramref name="name"/> on <paramref name="publicPort"/>: signed when a key is given, showing <paramref name="secret"/> when given, from <paramref name="from"/> (a 127.x address) or 127.0.0.1.</summary>
    public static async Task<(RawControlClient Client, ReadOnlyMemory<byte> Answer)> RegisterAsync(
        IPEndPoint control, string name, int publicPort, string network = PeerIdentity.DefaultNetwork, string? key = null, UInt128? secret = null, IPAddress? from = null)
    {
        var client = new RawControlClient();
        try
        {
            client._socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
            await client._socket.ConnectAsync(control).WaitAsync(ExposeHost.Timeout);
            client._channel = new ControlChannel(new NetworkStream(client._socket, ownsSocket: false), ExposeHost.Timeout);
            var request = new ExposeRegisterRequest(TransactionId.NewRandom(), new PeerIdentity(network, name), (ushort)publicPort, "raw test client", secret);
            MessageSignature? signature = key is null ? null : new MessageSignature(MessageAuthentication.DeriveKey(network, key), DateTimeOffset.UtcNow);
            await client._channel.SendAsync(d => request.WriteTo(d, signature), CancellationToken.None).WaitAsync(ExposeHost.Timeout);
            var answer = (await client.ReadAsync()).ToArray();
            return (client, answer);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The client's address and port, as the server sees them on loopback.</summary>
    public string LocalEndPoint => _socket.LocalEndPoint!.ToString()!;

    public async Task<ReadOnlyMemory<byte>> ReadAsync() => await _channel.ReadAsync(CancellationToken.None).WaitAsync(ExposeHost.Timeout);

    /// <summary>Reads (skipping keepalives and the rest) until the server closes the connection; false when it reset it instead.</summary>
    public async Task<bool> WaitClosedAsync()
    {
        try
        {
            while ((await ReadAsync()).Length > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Reads until an Open arrives (keepalives are skipped).</summary>
    public async Task<ExposeOpenIndication> ReadOpenAsync()
    {
        while (true)
        {
            var message = await ReadAsync();
            if (message.Length == 0)
            {
                throw new InvalidOperationException("the server closed the control connection before an Open");
            }

            if (ExposeOpenIndication.TryRead(message.Span, out var open))
            {
                return open;
            }
        }
    }

    /// <summary>Sends a keepalive every half second until disposed, so the server's control timeout cannot end the test's scenario first.</summary>
    public void KeepAlive() => _ = Task.Run(async () =>
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await _channel.SendAsync(new ExposeKeepaliveIndication(TransactionId.NewRandom()).WriteTo, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or TimeoutException or SocketException)
        {
            // Closed by the test or the server.
        }
    });

    /// <summary>A crash: the connection is reset, no FIN, no goodbye.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _channel?.Dispose();
        _socket.Dispose();
    }
}
