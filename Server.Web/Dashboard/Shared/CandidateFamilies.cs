using System.Net;
using Punch.Core.Protocol;
using Punch.Server.Storage;

namespace Punch.Server.Dashboard.Shared;

/// <summary>
/// Which candidate kinds a session offered and which one each side's path went to, and which address
/// families a peer has: read from what the server stored (candidates as "[owner] kind endpoint", the
/// reported remote endpoints), so any kind <see cref="Candidate.KindName"/> knows shows up as it is.
/// </summary>
public static class CandidateFamilies
{
    /// <summary>"v4" or "v6" for an endpoint or address text; null when it is neither.</summary>
    public static string? FamilyOf(string? endPointText)
    {
        if (endPointText is null)
        {
            return null;
        }

        if (IPEndPoint.TryParse(endPointText, out var endPoint))
        {
            return AddressScope.FamilyName(endPoint);
        }

        return IPAddress.TryParse(endPointText, out var address) ? AddressScope.FamilyName(new IPEndPoint(address, 0)) : null;
    }

    /// <summary>A peer's families from its public endpoint and host candidates ("host 198.18.0.2:5000" or a bare endpoint): "v4", "v6" or "v4 + v6".</summary>
    public static string Of(PeerView peer)
    {
        var families = peer.Candidates.Select(c => FamilyOf(c.Split(' ')[^1])).Append(FamilyOf(peer.PublicEndpoint)).OfType<string>().Distinct().Order().ToList();
        return families.Count == 0 ? "unknown" : string.Join(" + ", families);
    }

    /// <summary>The kinds offered in a session, each with its family, distinct: "srflx v4", "host v6", ...</summary>
    public static IReadOnlyList<string> Tried(SessionView session) =>
        [.. session.Candidates.Select(Parse).OfType<(string Owner, string Kind, string EndPoint)>()
            .Select(c => $"{c.Kind} {FamilyOf(c.EndPoint)}").Distinct()];

    /// <summary>
    /// The candidate the path of <paramref name="sender"/> goes to: the other side's offered candidate with the
    /// reported endpoint; "relay" on the relayed path; "prflx" for an address learned from a check (not offered).
    /// </summary>
    public static string? Won(SessionView session, string sender)
    {
        string? remote = sender == session.PeerA ? session.RemoteEndpointA : session.RemoteEndpointB;
        if (remote is null)
        {
            return null;
        }

        string family = FamilyOf(remote) ?? "?";
        if (session.PathKind == "relayed")
        {
            return $"{Candidate.KindName(CandidateKind.Relayed)} {family}";
        }

        var offered = session.Candidates.Select(Parse).OfType<(string Owner, string Kind, string EndPoint)>()
            .FirstOrDefault(c => c.Owner != sender && c.EndPoint == remote);
        return $"{(offered.Kind ?? Candidate.KindName(CandidateKind.PeerReflexive))} {family}";
    }

    private static (string Owner, string Kind, string EndPoint)? Parse(string entry)
    {
        var parts = entry.Split(' ');
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : null;
    }
}
