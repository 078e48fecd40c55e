namespace Punch.Server.Rendezvous;

/// <summary>The <c>reason</c> label of <c>punch.datagrams.dropped</c>: a fixed set.</summary>
public static class DropReason
{
    public const string Malformed = "malformed";
    public const string RateLimited = "rate_limited";
}
