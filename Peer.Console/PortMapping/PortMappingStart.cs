using Punch.Peer.Hosting;

namespace Punch.Peer.PortMapping;

/// <summary>How a host starts its port mapping: in parallel with the registration, which waits for it at most the clients' budget.</summary>
internal static class PortMappingStart
{
    public static PortMappingKeeper Begin(PortMappingSettings settings, PeerHost host)
    {
        var keeper = new PortMappingKeeper(settings, (ushort)host.LocalEndPoint.Port, host.Settings.Time, host.Settings.Events,
            mapped => host.Invoke(() =>
            {
                host.Registration.OnPortMapped(mapped);
                return true;
            }));
        // A gateway that answered SSDP may still be fetching its description: one HTTP wait on top of the no-answer budget.
        host.Invoke(() =>
        {
            host.Registration.ExpectPortMapping(settings.DiscoveryBudget + settings.HttpWait);
            return true;
        });
        keeper.Start();
        return keeper;
    }
}
