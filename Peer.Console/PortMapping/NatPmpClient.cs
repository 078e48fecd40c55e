using System.Net;
using System.Net.Sockets;
using Punch.Core.PortMapping;

namespace Punch.Peer.PortMapping;

/// <summary>
/// NAT-PMP (RFC 6886) to the gateway's port 5351: the external address (§3.2), then a UDP mapping (§3.3) asking
/// for the port we had (a renewal) or our own port; a delete is lifetime 0 with suggested port 0 (§3.4). Answers for
/// another opcode or internal port are counted and dropped.
/// </summary>
internal sealed class NatPmpClient(IPEndPoint gateway, TimeSpan wait, PortMappingCounters counters) : IPortMappingClient
{
    public PortMappingMethod Method => PortMappingMethod.NatPmp;

    public async Task<PortMappingAttempt> MapAsync(ushort internalPort, TimeSpan lifetime, PortMappingGrant? renewing, CancellationToken cancellationToken)
    {
        Socket socket;
        try
        {
#pragma warning disable CA2000 // disposed by the `using (socket)` right after the try; the analyzer does not follow the catch's return
            socket = GatewayExchange.Connect(gateway);
#pragma warning restore CA2000
        }
        catch (SocketException)
        {
            return new PortMappingAttempt(Method, false, null, PcpClient.Describe(GatewayExchange.Outcome.Unreachable));
        }

        using (socket)
        {
            var addressRequest = new byte[NatPmp.ExternalAddressRequestLength];
            NatPmp.WriteExternalAddressRequest(addressRequest);
            var (outcome, address) = await GatewayExchange.AskAsync(socket, addressRequest, wait,
                datagram => NatPmpExternalAddressResponse.TryRead(datagram.Span, out var r) ? new Box<NatPmpExternalAddressResponse>(r) : null, counters, cancellationToken);
            if (address is null)
            {
                return new PortMappingAttempt(Method, false, null, PcpClient.Describe(outcome));
            }

            if (address.Value.Result != NatPmpResultCode.Success)
            {
                return new PortMappingAttempt(Method, true, null, $"refused: {address.Value.Result}");
            }

            ushort suggested = (ushort)(renewing?.External.Port ?? internalPort);
            var (mapOutcome, mapped) = await MapOnceAsync(socket, internalPort, suggested, (uint)lifetime.TotalSeconds, cancellationToken);
            if (mapped is null)
            {
                return new PortMappingAttempt(Method, true, null, $"the external address answered but the mapping: {PcpClient.Describe(mapOutcome)}");
            }

            var response = mapped.Value;
            if (response.Result != NatPmpResultCode.Success)
            {
                return new PortMappingAttempt(Method, true, null, $"refused: {response.Result}");
            }

            var external = address.Value.ExternalAddress;
            if (response.ExternalPort == 0 || response.LifetimeSeconds == 0 || external.Equals(IPAddress.Any) || external.Equals(IPAddress.Broadcast))
            {
                counters.CountDropped();
                return new PortMappingAttempt(Method, true, null, $"granted an unusable mapping {external}:{response.ExternalPort} for {response.LifetimeSeconds} s");
            }

            var grant = new PortMappingGrant(Method, new IPEndPoint(external, response.ExternalPort), internalPort, TimeSpan.FromSeconds(response.LifetimeSeconds));
            return new PortMappingAttempt(Method, true, grant, $"mapped {grant.External} for {response.LifetimeSeconds} s");
        }
    }

    public async Task<bool> DeleteAsync(PortMappingGrant grant, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = GatewayExchange.Connect(gateway);
            var (_, answer) = await MapOnceAsync(socket, grant.InternalPort, 0, 0, cancellationToken);
            return answer?.Value.Result == NatPmpResultCode.Success;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private Task<(GatewayExchange.Outcome, Box<NatPmpMappingResponse>?)> MapOnceAsync(Socket socket, ushort internalPort, ushort suggested, uint lifetimeSeconds, CancellationToken cancellationToken)
    {
        var request = new byte[NatPmpMappingRequest.Length];
        new NatPmpMappingRequest(MappedTransport.Udp, internalPort, suggested, lifetimeSeconds).WriteTo(request);
        return GatewayExchange.AskAsync(socket, request, wait,
            datagram => NatPmpMappingResponse.TryRead(datagram.Span, out var r) && r.Transport == MappedTransport.Udp && r.InternalPort == internalPort
                ? new Box<NatPmpMappingResponse>(r) : null, counters, cancellationToken);
    }

    /// <summary>The exchange hands back reference types (null: nothing read); the codecs are value types.</summary>
    private sealed record Box<T>(T Value);
}
