using System.Net;
using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

internal static partial class RendezvousLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "UDP rendezvous listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Peer {Peer} registered from {From}")]
    public static partial void PeerRegistered(ILogger logger, PeerIdentity peer, IPEndPoint from);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Peer {Peer} expired")]
    public static partial void PeerExpired(ILogger logger, PeerIdentity peer);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Rendezvous receive loop failed; it keeps serving")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Rendezvous tick failed")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "No Rendezvous:AlternatePort configured: peers cannot tell whether their NAT is symmetric, so port prediction is off")]
    public static partial void NoAlternatePort(ILogger logger);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "Refused a request claiming {Peer} from {From}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, PeerIdentity peer, IPEndPoint from, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Told {Count} registered peers the server is shutting down")]
    public static partial void SaidGoodbye(ILogger logger, int count);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "UDP rendezvous stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "UDP {EndPoint}: {Sockets} socket(s) with a receive thread each, batched I/O {Batched}, receive buffer {Granted} bytes granted ({Requested} asked; Linux caps SO_RCVBUF at net.core.rmem_max without CAP_NET_ADMIN)")]
    public static partial void ReceiveSockets(ILogger logger, EndPoint endPoint, int sockets, bool batched, int granted, int requested);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "recvmmsg/sendmmsg unavailable (errno {Error}): this receive thread reads one datagram per call")]
    public static partial void BatchingUnavailable(ILogger logger, int error);
}
