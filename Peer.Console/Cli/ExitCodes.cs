namespace Punch.Peer.Cli;

public static class ExitCodes
{
    /// <summary>A path was up and the work (pings, chat, serving) was done.</summary>
    public const int Success = 0;
    /// <summary>No path came up in time (or the server refused or never answered).</summary>
    public const int NoPath = 1;
    /// <summary>Bad flags or values; the message on stderr says what to fix.</summary>
    public const int Usage = 2;
}
