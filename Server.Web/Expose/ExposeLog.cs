using System.Net;

namespace Punch.Server.Expose;

internal static partial class ExposeLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Expose control port listening on {EndPoint}; peers may publish on ports {Ports}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint, string ports);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Expose is off (Expose:AllowedPorts is empty)")]
    public static partial void Off(ILogger logger);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "{Network}/{Peer} from {From} exposes {Local} on public port {Port}")]
    public static partial void Exposed(ILogger logger, string network, string peer, IPEndPoint from, string local, int port);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Expose registration of {Network}/{Peer} from {From} refused: {Reason} ({Unlogged} more of this kind not logged since the last line)")]
    public static partial void Refused(ILogger logger, string network, string peer, IPEndPoint from, string reason, long unlogged);

    [LoggerMessage(EventId = 704, Level = LogLevel.Information, Message = "Public port {Port} of {Network}/{Peer} closed: {Reason}")]
    public static partial void Unexposed(ILogger logger, int port, string network, string peer, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "Public port {Port}: visitor {Visitor} closed after {ToPeer} bytes in and {ToVisitor} bytes out: {Reason}")]
    public static partial void VisitorClosed(ILogger logger, int port, IPEndPoint visitor, long toPeer, long toVisitor, string reason);

    [LoggerMessage(EventId = 706, Level = LogLevel.Debug, Message = "Expose connection from {From} dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, IPEndPoint from, string reason);

    [LoggerMessage(EventId = 707, Level = LogLevel.Warning, Message = "Public port {Port}: visitor {Visitor} turned away, {Max} connections already (Expose:MaxConnectionsPerService; {Unlogged} more not logged since the last line)")]
    public static partial void VisitorRefused(ILogger logger, int port, IPEndPoint visitor, int max, long unlogged);

    [LoggerMessage(EventId = 708, Level = LogLevel.Warning, Message = "Attach from {From} for connection {ConnectionId:x16} refused: no such visitor waits (unknown, expired, or a wrong token; {Unlogged} more not logged since the last line)")]
    public static partial void AttachRefused(ILogger logger, IPEndPoint from, ulong connectionId, long unlogged);

    [LoggerMessage(EventId = 709, Level = LogLevel.Warning, Message = "Expose control port: {Max} connections are already waiting for their first message; a new one was closed ({Unlogged} more not logged since the last line)")]
    public static partial void TooManyHellos(ILogger logger, int max, long unlogged);

    [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "Public port {Port}: visitor {Visitor} turned away, its address holds {Max} connections already (Expose:MaxConnectionsPerVisitorAddress; {Unlogged} more not logged since the last line)")]
    public static partial void VisitorAddressRefused(ILogger logger, int port, IPEndPoint visitor, int max, long unlogged);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "Expose control port: {Address} already has {Max} connections waiting for their first message (Expose:MaxPendingPerAddress); a new one was closed ({Unlogged} more not logged since the last line)")]
    public static partial void TooManyHellosFromAddress(ILogger logger, IPAddress address, int max, long unlogged);
}
