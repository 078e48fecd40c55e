using System.Buffers.Binary;
using System.Collections.Immutable;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Reading and writing the attributes several Punch messages share.</summary>
internal static class WireExtensions
{
    /// <summary>Bounds how many candidates one message may carry, so a message fits one datagram and a hostile one cannot make us allocate much.</summary>
    public const int MaxCandidates = 16;
    public const int MaxReasonBytes = 256;
    public const int MaxCredentialBytes = 64;

    public static bool Is(this StunMessage message, ushort method, StunClass stunClass) =>
        message.Type.Method == method && message.Type.Class == stunClass;

    public static void AddIdentity(ref this StunWriter writer, PeerIdentity identity)
    {
        writer.AddString(PunchAttributeType.PeerName, identity.Name);
        writer.AddString(PunchAttributeType.Network, identity.Network);
    }

    public static bool TryGetIdentity(this StunMessage message, out PeerIdentity identity)
    {
        identity = default;
        if (!message.TryGetName(PunchAttributeType.PeerName, out string name))
        {
            return false;
        }

        string network = PeerIdentity.DefaultNetwork;
        if (message.TryGetAttribute(PunchAttributeType.Network, out _) && !message.TryGetName(PunchAttributeType.Network, out network))
        {
            return false;
        }

        identity = new PeerIdentity(network, name);
        return true;
    }

    public static bool TryGetName(this StunMessage message, ushort type, out string name) =>
        message.TryGetString(type, PeerIdentity.MaxNameBytes, out name) && PeerIdentity.IsValidName(name);

    public static void AddSessionId(ref this StunWriter writer, SessionId id) => writer.AddUInt64(PunchAttributeType.SessionId, id.Value);

    public static bool TryGetSessionId(this StunMessage message, out SessionId id)
    {
        id = default;
        if (!message.TryGetAttribute(PunchAttributeType.SessionId, out var raw) || raw.Length != SessionId.Length)
        {
            return false;
        }

        id = new SessionId(BinaryPrimitives.ReadUInt64BigEndian(raw));
        return true;
    }

    public static void AddByte(ref this StunWriter writer, ushort type, byte value) => writer.Add(type, [value]);

    public static bool TryGetByte(this StunMessage message, ushort type, out byte value)
    {
        value = 0;
        if (!message.TryGetAttribute(type, out var raw) || raw.Length != 1)
        {
            return false;
        }

        value = raw[0];
        return true;
    }

    public static void AddCandidates(ref this StunWriter writer, ImmutableArray<Candidate> candidates, TransactionId transactionId)
    {
        Span<byte> value = stackalloc byte[4 + StunAddress.IPv6ValueLength];
        // The reader refuses more than MaxCandidates (a bound on what a hostile message can make us allocate), so never write more.
        foreach (var candidate in candidates.Take(MaxCandidates))
        {
            int length = candidate.ValueLength;
            candidate.WriteValue(value, transactionId);
            writer.Add(PunchAttributeType.Candidate, value[..length]);
        }
    }

    public static bool TryGetCandidates(this StunMessage message, out ImmutableArray<Candidate> candidates)
    {
        candidates = [];
        var builder = ImmutableArray.CreateBuilder<Candidate>();
        foreach (var attribute in message.Attributes)
        {
            if (attribute.Type != PunchAttributeType.Candidate)
            {
                continue;
            }

            if (builder.Count == MaxCandidates || !Candidate.TryReadValue(attribute.Value, message.TransactionId, out var candidate))
            {
                return false;
            }

            builder.Add(candidate);
        }

        candidates = builder.ToImmutable();
        return true;
    }

    public static void AddMapping(ref this StunWriter writer, NatMapping mapping)
    {
        if (mapping != NatMapping.Unknown)
        {
            writer.AddByte(PunchAttributeType.NatMapping, (byte)mapping);
        }
    }

    /// <summary>Absent is Unknown; a value we do not know is also Unknown (a newer peer may measure more kinds).</summary>
    public static NatMapping GetMapping(this StunMessage message) =>
        message.TryGetByte(PunchAttributeType.NatMapping, out byte value) && value <= (byte)NatMapping.EndpointDependent ? (NatMapping)value : NatMapping.Unknown;

    public static void AddNatReport(ref this StunWriter writer, NatReport report)
    {
        writer.AddFiltering(report.Filtering);
        AddFlag(ref writer, PunchAttributeType.Hairpinning, report.Hairpinning);
        AddFlag(ref writer, PunchAttributeType.PortPreservation, report.PortPreserved);
    }

    /// <summary>Every part absent or unknown stays unknown: an older peer sends none of them.</summary>
    public static NatReport GetNatReport(this StunMessage message) =>
        new(message.GetFiltering(), message.GetFlag(PunchAttributeType.Hairpinning), message.GetFlag(PunchAttributeType.PortPreservation));

    public static void AddFiltering(ref this StunWriter writer, Discovery.NatBehaviour filtering)
    {
        if (filtering is >= Discovery.NatBehaviour.EndpointIndependent and <= Discovery.NatBehaviour.AddressAndPortDependent)
        {
            writer.AddByte(PunchAttributeType.NatFiltering, (byte)filtering);
        }
    }

    /// <summary>Absent is Unknown; a value we do not know is also Unknown (a newer peer may discover more kinds).</summary>
    public static Discovery.NatBehaviour GetFiltering(this StunMessage message) =>
        message.TryGetByte(PunchAttributeType.NatFiltering, out byte value) && value <= (byte)Discovery.NatBehaviour.AddressAndPortDependent
            ? (Discovery.NatBehaviour)value
            : Discovery.NatBehaviour.Unknown;

    private static void AddFlag(ref StunWriter writer, ushort type, bool? flag)
    {
        if (flag is { } value)
        {
            writer.AddByte(type, value ? (byte)1 : (byte)0);
        }
    }

    private static bool? GetFlag(this StunMessage message, ushort type) =>
        message.TryGetByte(type, out byte value) && value <= 1 ? value == 1 : null;

    /// <summary>A relay channel in the ChannelData range (RFC 8656 §12: 0x4000-0x4FFF), or null when absent or out of range.</summary>
    public static ushort? GetRelayChannel(this StunMessage message) =>
        message.TryGetUInt32(PunchAttributeType.RelayChannel, out uint channel) && channel is >= Peering.PeerFrame.MinChannel and <= Peering.PeerFrame.MaxChannel
            ? (ushort)channel
            : null;

    public static void AddCookie(ref this StunWriter writer, AddressCookie? cookie)
    {
        if (cookie is { } value)
        {
            Span<byte> bytes = stackalloc byte[AddressCookie.Length];
            value.WriteTo(bytes);
            writer.Add(PunchAttributeType.AddressCookie, bytes);
        }
    }

    /// <summary>The echoed cookie: null when absent; false when present but malformed (the message is then refused).</summary>
    public static bool TryGetCookie(this StunMessage message, out AddressCookie? cookie)
    {
        cookie = null;
        if (!message.TryGetAttribute(PunchAttributeType.AddressCookie, out var raw))
        {
            return true;
        }

        if (!AddressCookie.TryRead(raw, out var value))
        {
            return false;
        }

        cookie = value;
        return true;
    }

    public static void AddOptionalReason(ref this StunWriter writer, string? reason)
    {
        if (!string.IsNullOrEmpty(reason))
        {
            writer.AddString(PunchAttributeType.Reason, Utf8Text.Truncate(reason, MaxReasonBytes));
        }
    }

    public static bool TryGetOptionalReason(this StunMessage message, out string? reason)
    {
        reason = null;
        if (!message.TryGetAttribute(PunchAttributeType.Reason, out _))
        {
            return true;
        }

        if (!message.TryGetString(PunchAttributeType.Reason, MaxReasonBytes, out string text))
        {
            return false;
        }

        reason = text;
        return true;
    }

    /// <summary>
    /// Ends a message: with a <paramref name="signature"/>, TIMESTAMP then MESSAGE-INTEGRITY-SHA256
    /// (RFC 8489 §14.6: after every attribute it protects); then FINGERPRINT (§14.7: always last).
    /// </summary>
    public static int Finish(ref this StunWriter writer, MessageSignature? signature)
    {
        if (signature is { } sign)
        {
            writer.AddUInt64(PunchAttributeType.Timestamp, (ulong)sign.SignedAt.ToUnixTimeMilliseconds());
            writer.AddMessageIntegritySha256(sign.Key.Span);
        }

        return writer.Finish();
    }

    public static int Finish(ref this StunWriter writer, bool fingerprint = true)
    {
        if (fingerprint)
        {
            writer.AddFingerprint();
        }

        return writer.Length;
    }
}
