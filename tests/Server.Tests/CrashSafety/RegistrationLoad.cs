using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Tests.Rendezvous;

namespace Punch.Server.Tests.CrashSafety;

/// <summary>
/// A stream of Register requests, each for a new name, from one raw UDP socket, one at a time. Every
/// answered one is a <c>registered</c> event the server queued before it answered, so
/// <see cref="Acknowledged"/> counts events the server has promised to store.
/// </summary>
public sealed class RegistrationLoad(IPEndPoint server, string namePrefix) : IDisposable
{
    private readonly UdpTestClient _client = new(server);
    private int _acknowledged;

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public IPEndPoint LocalEndPoint => _client.LocalEndPoint;

    public string NamePrefix => namePrefix;

    /// <summary>Registers <c>PREFIX-0</c>, <c>PREFIX-1</c>, ... until stopped, <paramref name="limit"/> reached, or the server stops answering.</summary>
    public async Task RunAsync(int limit, TimeSpan pause, CancellationToken stop)
    {
        for (int i = 0; i < limit && !stop.IsCancellationRequested; i++)
        {
            var request = _client.Build(d => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("load", $"{namePrefix}-{i}"), []).WriteTo(d));
            try
            {
                var reply = await _client.RequestAsync(request);
                if (RegistrationResponse.TryRead(reply, out _))
                {
                    Interlocked.Increment(ref _acknowledged);
                }
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                return; // The server is gone (killed mid-load): the load ends with it.
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, CancellationToken.None);
            }
        }
    }

    /// <summary>Waits for a datagram the server sends without being asked (a Goodbye), skipping late answers.</summary>
    public async Task<GoodbyeIndication?> WaitForGoodbyeAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var datagram = await _client.ReceiveAsync(deadline - DateTime.UtcNow);
                if (GoodbyeIndication.TryRead(datagram, out var goodbye))
                {
                    return goodbye;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
    }

    public void Dispose() => _client.Dispose();
}
