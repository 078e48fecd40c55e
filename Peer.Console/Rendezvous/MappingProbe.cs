using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Hosting;

namespace Punch.Peer.Rendezvous;

/// <summary>
/// Measures how our NAT maps the main socket (RFC 4787 §4.1; RFC 5780 §4.3 in miniature): a plain
/// Binding request from the main socket to the server's probe port, a second destination. The same
/// public endpoint as the Register response means endpoint-independent mapping; another one means the
/// NAT gives each destination its own port (symmetric), so the port the server saw is useless to a
/// peer and punching needs port prediction.
/// </summary>
internal static class MappingProbe
{
    /// <summary>The rendezvous client's 250 ms doubling schedule, 5 sends: a silent probe port costs about 6 s, once.</summary>
    public const int Attempts = 5;

    public static void Start(RendezvousClient client, IPEndPoint probe, IPEndPoint publicEndPoint, Action<MappingMeasurement> done)
    {
        var request = new BindingRequest(TransactionId.NewRandom());
        client.Send(Wire.Encode(request.WriteTo), (kind, datagram) => done(Interpret(kind, datagram, probe, publicEndPoint)), Attempts, probe);
    }

    private static MappingMeasurement Interpret(ReplyKind kind, ReadOnlySpan<byte> datagram, IPEndPoint probe, IPEndPoint publicEndPoint)
    {
        if (kind == ReplyKind.NoAnswer)
        {
            return new MappingMeasurement(NatMapping.Unknown,
                $"the server's probe port {probe} did not answer (a firewall may block it); NAT mapping unknown, so punching cannot use port prediction");
        }

        if (kind != ReplyKind.Success || !BindingResponse.TryRead(datagram, out var response))
        {
            return new MappingMeasurement(NatMapping.Unknown, $"the server's probe port {probe} sent an answer without a mapped address; NAT mapping unknown");
        }

        // The same comparison `punch netcheck` makes when the server has no second address (RFC 5780 §4.3 across ports only).
        return new MappingMeasurement(MappingClassifier.ClassifyByPortOnly(publicEndPoint, response.MappedEndPoint).ToNatMapping());
    }
}
