using System.Net;
using System.Net.Sockets;
using Punch.Core.PortMapping;

namespace Punch.Peer.PortMapping;

/// <summary>
/// PCP MAP (RFC 6887 §11) to the gateway's port 5351. A renewal reuses the grant's nonce and asks for the port
/// it got (§11.2.1); a delete is the same request with lifetime 0 (§15). An answer counts only when it carries our
/// nonce, transport and internal port (§11.3); others are counted and dropped. A NAT-PMP-only gateway answers
/// with version 0 (§9): that is "no PCP", and the caller moves on to NAT-PMP.
/// </summary>
internal sealed class PcpClient(IPEndPoint gateway, TimeSpan wait, PortMappingCounters counters) : IPortMappingClient
{
    public PortMappingMethod Method => PortMappingMethod.Pcp;

    public async Task<PortMappingAttempt> MapAsync(ushort internalPort, TimeSpan lifetime, PortMappingGrant? renewing, CancellationToken cancellationToken)
    {
        var nonce = renewing?.Handle is PcpNonce kept ? kept : PcpNonce.NewRandom();
        // §11.2: suggest our own port (what a NAT that preserves ports would give anyway), or the one we hold when renewing.
        var suggested = renewing?.External ?? new IPEndPoint(IPAddress.Any, internalPort);
        var (outcome, answer) = await RequestAsync(nonce, internalPort, (uint)lifetime.TotalSeconds, suggested, cancellationToken);
        if (outcome != GatewayExchange.Outcome.Answered || answer is null)
        {
            return new PortMappingAttempt(Method, false, null, Describe(outcome));
        }

        if (answer.Response is not { } response)
        {
            return new PortMappingAttempt(Method, false, null, "the gateway speaks NAT-PMP, not PCP");
        }

        if (response.Result != PcpResultCode.Success)
        {
            return new PortMappingAttempt(Method, true, null, $"refused: {response.Result}");
        }

        if (response.ExternalPort == 0 || response.LifetimeSeconds == 0 || response.ExternalAddress.AddressFamily != AddressFamily.InterNetwork
            || response.ExternalAddress.Equals(IPAddress.Any) || response.ExternalAddress.Equals(IPAddress.Broadcast))
        {
            counters.CountDropped();
            return new PortMappingAttempt(Method, true, null, $"granted an unusable mapping {response.ExternalAddress}:{response.ExternalPort} for {response.LifetimeSeconds} s");
        }

        var grant = new PortMappingGrant(Method, new IPEndPoint(response.ExternalAddress, response.ExternalPort), internalPort, TimeSpan.FromSeconds(response.LifetimeSeconds), nonce);
        return new PortMappingAttempt(Method, true, grant, $"mapped {grant.External} for {response.LifetimeSeconds} s");
    }

    public async Task<bool> DeleteAsync(PortMappingGrant grant, CancellationToken cancellationToken)
    {
        if (grant.Handle is not PcpNonce nonce)
        {
            return false;
        }

        var (outcome, answer) = await RequestAsync(nonce, grant.InternalPort, 0, null, cancellationToken);
        return outcome == GatewayExchange.Outcome.Answered && answer?.Response?.Result == PcpResultCode.Success;
    }

    /// <summary>Holds the response, or null for a version 0 (NAT-PMP) "unsupported version" answer.</summary>
    private sealed record Answer(PcpMapResponse? Response);

    private async Task<(GatewayExchange.Outcome, Answer?)> RequestAsync(PcpNonce nonce, ushort internalPort, uint lifetimeSeconds, IPEndPoint? suggested, CancellationToken cancellationToken)
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
            return (GatewayExchange.Outcome.Unreachable, null);
        }

        using (socket)
        {
            var client = ((IPEndPoint)socket.LocalEndPoint!).Address;
            var request = new PcpMapRequest(nonce, MappedTransport.Udp, client, internalPort, lifetimeSeconds, (ushort)(suggested?.Port ?? 0), suggested?.Address);
            var bytes = new byte[PcpMapRequest.Length];
            request.WriteTo(bytes);
            return await GatewayExchange.AskAsync(socket, bytes, wait, datagram => Read(datagram.Span, nonce, internalPort), counters, cancellationToken);
        }
    }

    private static Answer? Read(ReadOnlySpan<byte> datagram, PcpNonce nonce, ushort internalPort)
    {
        // RFC 6887 §9: a NAT-PMP server answers a version it does not know with its own version 0 and result 1 (UNSUPP_VERSION).
        if (datagram.Length >= 4 && datagram[0] == NatPmp.Version && (datagram[1] & NatPmp.ResponseBit) != 0)
        {
            return new Answer(null);
        }

        return PcpMapResponse.TryRead(datagram, out var response) && response.Nonce == nonce && response.Transport == MappedTransport.Udp
            && (response.InternalPort == internalPort || response.Result != PcpResultCode.Success)
            ? new Answer(response) : null;
    }

    internal static string Describe(GatewayExchange.Outcome outcome) => outcome switch
    {
        GatewayExchange.Outcome.Refused => "nothing listens on the gateway's port 5351",
        GatewayExchange.Outcome.Unreachable => "the gateway is unreachable",
        _ => "no answer",
    };
}
