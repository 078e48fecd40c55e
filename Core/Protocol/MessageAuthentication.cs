using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// Authentication of the messages of a keyed network: MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6)
/// under a key derived from the network key, over a message that carries a TIMESTAMP
/// (<see cref="PunchAttributeType.Timestamp"/>). The receiver checks the timestamp against its clock
/// (<see cref="MaxClockSkew"/>); the server also remembers the transaction ids it accepted for that
/// long, so a captured datagram cannot be replayed.
/// </summary>
public static class MessageAuthentication
{
    /// <summary>Network keys shorter than this are refused everywhere (configuration, the admin page, <c>--key</c>).</summary>
    public const int MinKeyLength = 16;

    /// <summary>How far a signed message's TIMESTAMP may be from the receiver's clock, either way.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Fixed HKDF salt: names the purpose, so the same network key used elsewhere yields an unrelated key here.</summary>
    private static readonly byte[] Salt = "punch/rendezvous/v1"u8.ToArray();

    /// <summary>
    /// The HMAC key for <paramref name="network"/>: HKDF-SHA256 (RFC 5869) of the network key, with the
    /// network name as info. Why derive rather than use the key as is: a person-chosen key is text
    /// of uneven quality and length, HKDF turns it into a uniform 32-byte key; and with the network
    /// name in the derivation, an operator who reuses one key for two networks still gets two
    /// different signing keys, so a message signed for one network never verifies for the other
    /// (a peer cannot move its signed requests, or an introduction, across networks).
    /// </summary>
    public static byte[] DeriveKey(string network, string networkKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(networkKey);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(networkKey), outputLength: 32, Salt, Encoding.UTF8.GetBytes(network));
    }

    /// <summary>Checks the signature of <paramref name="datagram"/> under <paramref name="key"/>; never throws.</summary>
    public static SignatureCheck Verify(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> key, out DateTimeOffset signedAt)
    {
        signedAt = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.HasMessageIntegritySha256
            || !TryGetTimestamp(message, out signedAt))
        {
            return SignatureCheck.Unsigned;
        }

        return message.VerifyMessageIntegritySha256(key) ? SignatureCheck.Valid : SignatureCheck.WrongKey;
    }

    /// <summary>Whether <paramref name="signedAt"/> is within <paramref name="maxSkew"/> of <paramref name="now"/>, either way.</summary>
    public static bool IsFresh(DateTimeOffset signedAt, DateTimeOffset now, TimeSpan maxSkew) =>
        signedAt >= now - maxSkew && signedAt <= now + maxSkew;

    /// <summary>The PEER-NAME and NETWORK a Punch request claims (before anything is verified), for deciding which key applies.</summary>
    public static bool TryGetClaimedIdentity(ReadOnlySpan<byte> datagram, out PeerIdentity identity)
    {
        identity = default;
        return StunMessage.TryParse(datagram, out var message) && message.TryGetIdentity(out identity);
    }

    /// <summary>Only the attributes the HMAC covers are returned by the reader, so the timestamp is signed when present.</summary>
    private static bool TryGetTimestamp(StunMessage message, out DateTimeOffset signedAt)
    {
        signedAt = default;
        if (!message.TryGetAttribute(PunchAttributeType.Timestamp, out var raw) || raw.Length != 8)
        {
            return false;
        }

        ulong milliseconds = BinaryPrimitives.ReadUInt64BigEndian(raw);
        if (milliseconds > (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        signedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
        return true;
    }
}
