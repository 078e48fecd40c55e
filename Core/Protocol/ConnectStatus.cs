namespace Punch.Core.Protocol;

public enum ConnectStatus : byte
{
    /// <summary>The target is not registered (yet); the introduction follows when it registers or asks too.</summary>
    WaitingForPeer = 1,
    /// <summary>Both are registered; the introduction is on its way.</summary>
    Introducing = 2,
}
