using System.Net;

namespace Punch.Server.Relay;

internal static partial class RelayLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Relay channel {Channel:X4} allocated for session {Session}")]
    public static partial void Allocated(ILogger logger, ushort channel, Punch.Core.Protocol.SessionId session);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Relay channel {Channel:X4}: {Peer} activated from {From}")]
    public static partial void Activated(ILogger logger, ushort channel, string peer, IPEndPoint from);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Relay channel {Channel:X4} stopped forwarding: {Reason}")]
    public static partial void Stopped(ILogger logger, ushort channel, string reason);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Relay at its allocation limit ({Limit}): session {Session} is direct only")]
    public static partial void AllocationRefused(ILogger logger, int limit, Punch.Core.Protocol.SessionId session);

    [LoggerMessage(EventId = 304, Level = LogLevel.Debug, Message = "Relay activation for session {Session} from {From} refused: {Reason}")]
    public static partial void ActivationRefused(ILogger logger, Punch.Core.Protocol.SessionId session, IPEndPoint from, string reason);
}
