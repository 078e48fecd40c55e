using System.Collections.Immutable;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// Server → peer: meet PEER-NAME. A request, so the server can retransmit it until the peer
/// acknowledges with <see cref="IntroductionAck"/>. Carries the other side's candidates and both
/// sides' credentials: the receiver signs its checks with the remote password and checks arriving
/// checks with its local one, as ICE does.
/// </summary>
public readonly record struct Introduction(
    TransactionId TransactionId,
    SessionId SessionId,
    string PeerName,
    bool Controlling,
    IceCredentials Local,
    IceCredentials Remote,
    ImmutableArray<Candidate> Candidates,
    NatMapping RemoteMapping = NatMapping.Unknown,
    ushort? RelayChannel = null,
    Discovery.NatBehaviour RemoteFiltering = Discovery.NatBehaviour.Unknown)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Introduction, StunClass.Request), TransactionId);
        writer.AddSessionId(SessionId);
        writer.AddString(PunchAttributeType.PeerName, PeerName);
        writer.AddByte(PunchAttributeType.Role, Controlling ? (byte)1 : (byte)0);
        writer.AddString(PunchAttributeType.LocalUsernameFragment, Local.UsernameFragment);
        writer.AddString(PunchAttributeType.LocalPassword, Local.Password);
        writer.AddString(PunchAttributeType.RemoteUsernameFragment, Remote.UsernameFragment);
        writer.AddString(PunchAttributeType.RemotePassword, Remote.Password);
        writer.AddCandidates(Candidates, TransactionId);
        writer.AddMapping(RemoteMapping);
        writer.AddFiltering(RemoteFiltering);
        if (RelayChannel is { } channel)
        {
            writer.AddUInt32(PunchAttributeType.RelayChannel, channel);
        }

        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out Introduction introduction)
    {
        introduction = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Introduction, StunClass.Request)
            || !message.TryGetSessionId(out var id)
            || !message.TryGetName(PunchAttributeType.PeerName, out string peerName)
            || !message.TryGetByte(PunchAttributeType.Role, out byte role) || role > 1
            || !TryGetCredential(message, PunchAttributeType.LocalUsernameFragment, out string localUfrag)
            || !TryGetCredential(message, PunchAttributeType.LocalPassword, out string localPassword)
            || !TryGetCredential(message, PunchAttributeType.RemoteUsernameFragment, out string remoteUfrag)
            || !TryGetCredential(message, PunchAttributeType.RemotePassword, out string remotePassword)
            || !message.TryGetCandidates(out var candidates))
        {
            return false;
        }

        introduction = new Introduction(message.TransactionId, id, peerName, role == 1,
            new IceCredentials(localUfrag, localPassword), new IceCredentials(remoteUfrag, remotePassword), candidates, message.GetMapping(), message.GetRelayChannel(), message.GetFiltering());
        return true;
    }

    private static bool TryGetCredential(StunMessage message, ushort type, out string value) =>
        message.TryGetString(type, WireExtensions.MaxCredentialBytes, out value) && value.Length > 0 && !value.Contains(':', StringComparison.Ordinal);
}
