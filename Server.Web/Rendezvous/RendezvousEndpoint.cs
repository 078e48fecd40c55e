using System.Net;

namespace Punch.Server.Rendezvous;

/// <summary>Where the rendezvous actually listens (after binding port 0, the port the OS chose).</summary>
public sealed class RendezvousEndpoint
{
    public IPEndPoint? LocalEndPoint { get; internal set; }

    /// <summary>The probe port's endpoint, when one is configured.</summary>
    public IPEndPoint? ProbeEndPoint { get; internal set; }
}
