using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Tests.Rendezvous;

namespace Punch.Server.Tests.OpenInternet;

/// <summary>
/// One UDP socket on its own loopback address that plays a hostile client: it registers names, asks for
/// sessions and acknowledges every introduction it gets, so the server sees a well-behaved peer that
/// simply never reports a path.
/// </summary>
public sealed class AttackerSocket(IPEndPoint server, IPAddress address) : IDisposable
{
    private readonly UdpTestClient _client = new(server, address);

    public IPEndPoint LocalEndPoint => _client.LocalEndPoint;

    public static PeerIdentity Name(int i) => new("default", $"idle{i}");

    public async Task RegisterAsync(int names)
    {
        for (int i = 0; i < names; i++)
        {
            var reply = await _client.RequestAsync(_client.Build(b => new RegisterRequest(TransactionId.NewRandom(), Name(i), [], NatMapping.EndpointIndependent).WriteTo(b)));
            Assert.True(RegistrationResponse.TryRead(reply, out _), $"{Name(i)} registered");
        }
    }

    /// <summary>Connects <paramref name="from"/> to <paramref name="to"/>; acknowledges every introduction seen meanwhile. The answer: a session, or the refusal's code.</summary>
    public async Task<(bool Accepted, int ErrorCode)> ConnectAsync(PeerIdentity from, string to)
    {
        var request = _client.Build(b => new ConnectRequest(TransactionId.NewRandom(), from, to).WriteTo(b));
        var transactionId = TransactionId.Read(request.AsSpan(8, StunConstants.TransactionIdLength));
        _client.Send(request);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            var datagram = await _client.ReceiveAsync(deadline - DateTime.UtcNow);
            AcknowledgeIfIntroduction(datagram);
            if (ConnectResponse.TryRead(datagram, out var accepted) && accepted.TransactionId == transactionId)
            {
                return (true, 0);
            }

            if (ErrorResponse.TryRead(datagram, out var refused) && refused.TransactionId == transactionId)
            {
                return (false, refused.Code);
            }
        }

        throw new TimeoutException($"no answer to the connect {from.Name} -> {to}");
    }

    /// <summary>Acknowledges what arrives for <paramref name="quiet"/> without a new datagram (bounded by <paramref name="limit"/>).</summary>
    public async Task AcknowledgeIntroductionsAsync(TimeSpan quiet, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            try
            {
                AcknowledgeIfIntroduction(await _client.ReceiveAsync(quiet));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void AcknowledgeIfIntroduction(byte[] datagram)
    {
        if (Introduction.TryRead(datagram, out var introduction))
        {
            _client.Send(_client.Build(b => new IntroductionAck(introduction.TransactionId, introduction.SessionId).WriteTo(b)));
        }
    }

    public void Dispose() => _client.Dispose();
}
