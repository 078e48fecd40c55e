using System.Net;

namespace Punch.Server.Expose;

/// <summary>Where the expose control port actually listens (after binding port 0, the port the OS chose); null while expose is off.</summary>
public sealed class ExposeEndpoint
{
    public IPEndPoint? ControlEndPoint { get; internal set; }
}
