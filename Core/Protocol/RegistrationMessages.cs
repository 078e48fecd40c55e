using System.Collections.Immutable;
using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// What a peer discovered of its NAT besides the mapping (RFC 5780 §4.4-4.5 against the rendezvous server, at
/// registration): filtering, hairpinning, port preservation. Every part may be unknown (not measured, not
/// settled, or an older peer); unknown parts are simply absent on the wire.
/// </summary>
public readonly record struct NatReport(Discovery.NatBehaviour Filtering = Discovery.NatBehaviour.Unknown, bool? Hairpinning = null, bool? PortPreserved = null)
{
    public bool IsEmpty => this == default;

    /// <summary>This report over an <paramref name="older"/> one: what this one knows wins, what it does not know is kept (a refresh without a report forgets nothing).</summary>
    public NatReport Over(NatReport older) => new(
        Filtering != Discovery.NatBehaviour.Unknown ? Filtering : older.Filtering,
        Hairpinning ?? older.Hairpinning,
        PortPreserved ?? older.PortPreserved);
}

/// <summary>
/// Peer → server: register NAME in NETWORK with these host candidates. <paramref name="Cookie"/> echoes the
/// server's <see cref="AddressChallenge"/>: a new registration is taken only with it (return routability).
/// <paramref name="MappedCandidates"/> are ports the peer's router mapped for it (PCP, NAT-PMP, UPnP IGD): at most
/// <see cref="MaxMappedCandidates"/>; any other candidate kind makes the request malformed.
/// </summary>
public readonly record struct RegisterRequest(TransactionId TransactionId, PeerIdentity Peer, ImmutableArray<IPEndPoint> HostCandidates, NatMapping Mapping = NatMapping.Unknown, NatReport Nat = default, AddressCookie? Cookie = null,
    ImmutableArray<IPEndPoint> MappedCandidates = default)
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
        // Mapped first: the writer keeps at most MaxCandidates, and a mapped one is worth more than the last host address.
        writer.AddCandidates([.. Mapped.Take(MaxMappedCandidates).Select(e => new Candidate(CandidateKind.Mapped, e)), .. HostCandidates.Select(e => new Candidate(CandidateKind.Host, e))], TransactionId);
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
            || candidates.Any(c => c.Kind is not (CandidateKind.Host or CandidateKind.Mapped))
            || candidates.Count(c => c.Kind == CandidateKind.Mapped) > MaxMappedCandidates || !message.TryGetCookie(out var cookie))
        {
            return false;
        }

        request = new RegisterRequest(message.TransactionId, peer, [.. candidates.Where(c => c.Kind == CandidateKind.Host).Select(c => c.EndPoint)], message.GetMapping(), message.GetNatReport(), cookie,
            [.. candidates.Where(c => c.Kind == CandidateKind.Mapped).Select(c => c.EndPoint)]);
        return true;
    }
}

/// <summary>Peer → server: keep my registration alive for LIFETIME (absent: the server's default; zero: unregister now).</summary>
public readonly record struct RefreshRequest(TransactionId TransactionId, PeerIdentity Peer, TimeSpan? Lifetime, NatMapping Mapping = NatMapping.Unknown, NatReport Nat = default)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Refresh, StunClass.Request), TransactionId);
        writer.AddIdentity(Peer);
        if (Lifetime is { } lifetime)
        {
            writer.AddUInt32(StunAttributeType.Lifetime, (uint)lifetime.TotalSeconds);
        }

        writer.AddMapping(Mapping);
        writer.AddNatReport(Nat);
        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out RefreshRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Refresh, StunClass.Request)
            || !message.TryGetIdentity(out var peer))
        {
            return false;
        }

        TimeSpan? lifetime = null;
        if (message.TryGetAttribute(StunAttributeType.Lifetime, out _))
        {
            if (!message.TryGetUInt32(StunAttributeType.Lifetime, out uint seconds))
            {
                return false;
            }

            lifetime = TimeSpan.FromSeconds(seconds);
        }

        request = new RefreshRequest(message.TransactionId, peer, lifetime, message.GetMapping(), message.GetNatReport());
        return true;
    }
}

/// <summary>Server → peer: the success response to Register or Refresh: the public endpoint the server sees and how long the registration lives.</summary>
public readonly record struct RegistrationResponse(ushort Method, TransactionId TransactionId, IPEndPoint PublicEndPoint, TimeSpan Lifetime, ushort? ProbePort = null)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(Method, StunClass.SuccessResponse), TransactionId);
        writer.AddXorAddress(StunAttributeType.XorMappedAddress, PublicEndPoint);
        writer.AddUInt32(StunAttributeType.Lifetime, (uint)Lifetime.TotalSeconds);
        if (ProbePort is { } probePort)
        {
            writer.AddUInt32(PunchAttributeType.ProbePort, probePort);
        }

        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out RegistrationResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type.Class != StunClass.SuccessResponse
            || message.Type.Method is not (PunchMethod.Register or PunchMethod.Refresh)
            || !message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var endPoint)
            || !message.TryGetUInt32(StunAttributeType.Lifetime, out uint seconds))
        {
            return false;
        }

        ushort? probePort = message.TryGetUInt32(PunchAttributeType.ProbePort, out uint port) && port is > 0 and <= ushort.MaxValue ? (ushort)port : null;
        response = new RegistrationResponse(message.Type.Method, message.TransactionId, endPoint, TimeSpan.FromSeconds(seconds), probePort);
        return true;
    }
}

/// <summary>Peer → server: introduce me to TARGET-PEER of my network.</summary>
public readonly record struct ConnectRequest(TransactionId TransactionId, PeerIdentity Peer, string TargetPeer)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Connect, StunClass.Request), TransactionId);
        writer.AddIdentity(Peer);
        writer.AddString(PunchAttributeType.TargetPeer, TargetPeer);
        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out ConnectRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Connect, StunClass.Request)
            || !message.TryGetIdentity(out var peer) || !message.TryGetName(PunchAttributeType.TargetPeer, out string target))
        {
            return false;
        }

        request = new ConnectRequest(message.TransactionId, peer, target);
        return true;
    }
}

/// <summary>Server → peer: the connect request is accepted; the session id, and whether the introduction is coming now or once the target shows up.</summary>
public readonly record struct ConnectResponse(TransactionId TransactionId, SessionId SessionId, ConnectStatus Status)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Connect, StunClass.SuccessResponse), TransactionId);
        writer.AddSessionId(SessionId);
        writer.AddByte(PunchAttributeType.ConnectStatus, (byte)Status);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out ConnectResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Connect, StunClass.SuccessResponse)
            || !message.TryGetSessionId(out var id) || !message.TryGetByte(PunchAttributeType.ConnectStatus, out byte status)
            || status is < (byte)ConnectStatus.WaitingForPeer or > (byte)ConnectStatus.Introducing)
        {
            return false;
        }

        response = new ConnectResponse(message.TransactionId, id, (ConnectStatus)status);
        return true;
    }
}
