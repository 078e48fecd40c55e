namespace Punch.Server.Security;

public sealed class CrossSiteRequestGuard
{
    public const string RequestHeader = "X-Punch-Request";
}
