using System.Collections.Immutable;
using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Hosting;

namespace Punch.Peer.Rendezvous;

/// <summary>
/// Learns this peer's public endpoint in the family it did not register over: a plain Binding request from the main
/// (dual-stack) socket to the server's other-family endpoint, which the server announces in its Register response
/// (<see cref="RegistrationResponse.OtherFamilyEndPoint"/>). Behind NAT66/NPTv6, or a firewall with another outside
/// address, that endpoint is none of the host candidates, and it is the only one another peer can reach.
/// </summary>
internal static class OtherFamilyProbe
{
    /// <summary>250 ms doubling, 4 sends: a server whose other family is unreachable costs about 3.75 s in the background, once.</summary>
    public const int Attempts = 4;

    /// <summary>
    /// Worth a Binding only when this host has an address of that family to send from (a host candidate of it; loopback
    /// counts for a server on loopback): without one the request could not leave, and the registration would wait for nothing.
    /// </summary>
    public static bool CanReach(IPEndPoint otherFamily, ImmutableArray<IPEndPoint> hostCandidates) =>
        IPAddress.IsLoopback(otherFamily.Address) || hostCandidates.Any(h => h.AddressFamily == otherFamily.AddressFamily);

    /// <summary>Sends the Binding; <paramref name="done"/> gets the public endpoint seen there, or null when it did not answer usably.</summary>
    public static void Start(RendezvousClient client, IPEndPoint otherFamily, Action<IPEndPoint?> done)
    {
        var request = new BindingRequest(TransactionId.NewRandom());
        client.Send(Wire.Encode(request.WriteTo), (kind, datagram) =>
            done(kind == ReplyKind.Success && BindingResponse.TryRead(datagram, out var response)
                && response.MappedEndPoint.AddressFamily == otherFamily.AddressFamily && !response.MappedEndPoint.Address.IsIPv4MappedToIPv6
                ? response.MappedEndPoint : null), Attempts, otherFamily);
    }
}
