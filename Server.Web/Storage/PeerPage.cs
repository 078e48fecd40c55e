namespace Punch.Server.Storage;

/// <summary>
/// One page of peers (online first, then by network and name) and how many match in all, so a
/// dashboard or API client can page through 100,000 peers without ever reading them all at once.
/// </summary>
public sealed record PeerPage(IReadOnlyList<PeerView> Peers, int Total, int Page, int PageSize)
{
    /// <summary>Pages the matches fill (at least one, so an empty result still has page 1).</summary>
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
