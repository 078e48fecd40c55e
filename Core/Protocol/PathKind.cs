namespace Punch.Core.Protocol;

public enum PathKind : byte
{
    Direct = 1,
    Relayed = 2,
}
