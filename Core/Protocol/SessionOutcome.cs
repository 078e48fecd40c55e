namespace Punch.Core.Protocol;

public enum SessionOutcome : byte
{
    PathUp = 1,
    Failed = 2,
    Closed = 3,
    ChecksSummary = 4,
}
