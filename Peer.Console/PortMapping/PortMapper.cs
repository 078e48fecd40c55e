namespace Punch.Peer.PortMapping;

/// <summary>
/// Tries PCP, then NAT-PMP, then UPnP IGD (RFC 6887 §1: PCP supersedes NAT-PMP; UPnP last, as the slowest), and stops at
/// the first grant. UPnP's search runs from the start, alongside the other two (it changes nothing on the router), so a
/// network without any of them costs the longest of the waits, not their sum.
/// </summary>
internal static class PortMapper
{
    public static async Task<PortMappingResult> MapAsync(IReadOnlyList<IPortMappingClient> clients, ushort internalPort, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var attempts = new List<PortMappingAttempt>();
        foreach (var client in clients)
        {
            client.Prepare(cancellationToken);
        }

        foreach (var client in clients)
        {
            var attempt = await client.MapAsync(internalPort, lifetime, null, cancellationToken);
            attempts.Add(attempt);
            if (attempt.Grant is not null)
            {
                return new PortMappingResult(attempts, attempt.Grant, client);
            }
        }

        return new PortMappingResult(attempts, null, null);
    }
}
