using System.Collections.Immutable;
using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// Peer → server: register NAME in NETWORK with these host candidates. <paramref name="Cookie"/> echoes the
/// server's <see cref="AddressChallenge"/>: a new registration is taken only with it (return routability).
/// <paramref name="MappedCandidates"/> are ports the peer's router mapped for it (PCP, NAT-PMP, UPnP IGD): at most
/// <see cref="MaxMappedCandidates"/>. <paramref name="OtherFamilyReflexive"/>: the public endpoint the server's other-family
/// endpoint (<see cref="RegistrationResponse.OtherFamilyEndPoint"/>) saw for this peer, at most one, sent as a server-reflexive
/// candidate: the server sees the registration's own family itself. Any other candidate kind makes the request malformed.
/// </summary>
public readonly record struct RegisterRequest(TransactionId TransactionId, PeerIdentity Peer, ImmutableArray<IPEndPoint> HostCandidates, NatMapping Mapping = NatMapping.Unknown, NatReport Nat = default, AddressCookie? Cookie = null,
    ImmutableArray<IPEndPoint> MappedCandidates = default, IPEndPoint? OtherFamilyReflexive = null)
{
    /// <summary>One router's mapping, or two (a second router or protocol); more is not a home network and is refused.</summary>
    public const int MaxMappedCandidates = 2;

    /// <summary><see cref="MappedCandidates"/>, never the default (uninitialised) array.</summary>
    public ImmutableArray<IPEndPoint> Mapped => MappedCandidates.IsDefault ? [] : MappedCandidates;

    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Register, StunClass.Request), TransactionId);
        writer.AddIdentity(Peer);
        // Mapped and reflexive first: the writer keeps at most MaxCandidates, and a public one is worth more than the last host address.
        Candidate[] reflexive = OtherFamilyReflexive is { } other ? [new Candidate(CandidateKind.ServerReflexive, other)] : [];
        writer.AddCandidates([.. Mapped.Take(MaxMappedCandidates).Select(e => new Candidate(CandidateKind.Mapped, e)), .. reflexive, .. HostCandidates.Select(e => new Candidate(CandidateKind.Host, e))], TransactionId);
        writer.AddMapping(Mapping);
        writer.AddNatReport(Nat);
        writer.AddCookie(Cookie);
        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out RegisterRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Register, StunClass.Request)
            || !message.TryGetIdentity(out var peer) || !message.TryGetCandidates(out var candidates)
            || candidates.Any(c => c.Kind is not (CandidateKind.Host or CandidateKind.Mapped or CandidateKind.ServerReflexive))
            || candidates.Count(c => c.Kind == CandidateKind.Mapped) > MaxMappedCandidates || candidates.Count(c => c.Kind == CandidateKind.ServerReflexive) > 1
            || !message.TryGetCookie(out var cookie))
        {
            return false;
        }

        request = new RegisterRequest(message.TransactionId, peer, [.. candidates.Where(c => c.Kind == CandidateKind.Host).Select(c => c.EndPoint)], message.GetMapping(), message.GetNatReport(), cookie,
            [.. candidates.Where(c => c.Kind == CandidateKind.Mapped).Select(c => c.EndPoint)],
            candidates.Where(c => c.Kind == CandidateKind.ServerReflexive).Select(c => c.EndPoint).FirstOrDefault());
        return true;
    }
}
