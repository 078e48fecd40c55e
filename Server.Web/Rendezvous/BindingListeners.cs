using System.Net;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous;

/// <summary>
/// The Binding sockets the rendezvous listens on, filled by <see cref="RendezvousService"/> at start, so
/// an answer can leave from the cell a CHANGE-REQUEST asks for. Each cell's socket is bound to one
/// address (never the wildcard when an alternate address is configured), so the OS sends from the
/// address and port the request reached without IP_PKTINFO on the hot path.
/// </summary>
public sealed class BindingListeners
{
    private readonly (IDatagramSender Sender, IPEndPoint Local)?[] _cells = new (IDatagramSender, IPEndPoint)?[4];

    public void Set(ListenerCell cell, IDatagramSender sender, IPEndPoint local) => _cells[Index(cell)] = (sender, local);

    public bool TryGet(ListenerCell cell, out IDatagramSender sender) =>
        (sender = _cells[Index(cell)]?.Sender!) is not null;

    /// <summary>The cell's address and port as a client sees them; null when absent or bound to the wildcard (the address is not known).</summary>
    public IPEndPoint? Advertised(ListenerCell cell) =>
        _cells[Index(cell)]?.Local is { } local && !local.Address.Equals(IPAddress.Any) && !local.Address.Equals(IPAddress.IPv6Any) ? local : null;

    private static int Index(ListenerCell cell) => (cell.AlternateAddress ? 2 : 0) + (cell.AlternatePort ? 1 : 0);
}
