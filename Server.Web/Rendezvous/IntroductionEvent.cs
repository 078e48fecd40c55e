using System.Collections.Immutable;
using Punch.Core.Protocol;
using Punch.Server.Events;

namespace Punch.Server.Rendezvous;

/// <summary>The Introduced event on the timeline: told from the requester's side, with what the server handed each side.</summary>
public static class IntroductionEvent
{
    public static SessionIntroduced Of(
        RendezvousSession session, RegisteredPeer requester, ImmutableArray<Candidate> requesterCandidates,
        RegisteredPeer target, ImmutableArray<Candidate> targetCandidates, ushort? relayChannel, DateTimeOffset now) => new()
        {
            At = now,
            Network = session.Network,
            Peer = session.Requester.Identity.Name,
            OtherPeer = session.Target.Identity.Name,
            SessionId = session.Id.ToString(),
            Candidates = [.. requesterCandidates.Select(c => $"{session.Requester.Identity.Name} {c}"), .. targetCandidates.Select(c => $"{session.Target.Identity.Name} {c}")],
            NatMapping = RendezvousHandler.MappingText(requester.Mapping),
            OtherNatMapping = RendezvousHandler.MappingText(target.Mapping),
            NatFiltering = RendezvousHandler.FilteringText(requester.Nat.Filtering),
            OtherNatFiltering = RendezvousHandler.FilteringText(target.Nat.Filtering),
            RelayChannel = relayChannel,
        };
}
