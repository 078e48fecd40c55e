namespace Punch.Core.Punching;

public enum PunchState
{
    Checking,
    Connected,
    Failed,
    Lost,
}
