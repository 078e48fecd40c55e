using System.Net;
using Microsoft.Extensions.Options;
using Punch.Server.Rendezvous;

namespace Punch.Server.Expose;

/// <summary>Where the expose control port actually listens (after binding port 0, the port the OS chose); null while expose is off.</summary>
public sealed class ExposeEndpoint(IOptions<ExposeOptions> options) : IExposeControlPort
{
    public IPEndPoint? ControlEndPoint { get; internal set; }

    /// <summary>
    /// The control port the rendezvous announces in its Register answers (<see cref="Core.Protocol.PunchAttributeType.ExposeControlPort"/>),
    /// so <c>punch expose --server</c> names the rendezvous like every other command; null while expose is off.
    /// A configured port is known before the listener binds (the rendezvous starts first, and a port that cannot
    /// be bound stops the server anyway); port 0 is known only once bound.
    /// </summary>
    public ushort? AnnouncedControlPort
    {
        get
        {
            var settings = options.Value;
            if (!settings.Enabled)
            {
                return null;
            }

            int port = settings.ControlPort != 0 ? settings.ControlPort : ControlEndPoint?.Port ?? 0;
            return port is > 0 and <= ushort.MaxValue ? (ushort)port : null;
        }
    }
}
