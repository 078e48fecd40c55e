using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

/// <summary>
/// Mints and checks <see cref="AddressCookie"/>s: stateless proofs that a source address and port
/// receive what the server sends them. Nothing is stored per source, so a flood of spoofed requests
/// costs the server one HMAC each and no memory (as QUIC's Retry token, RFC 9000 §8.1.2). The key is
/// random per process: a restart only makes peers prove their address once more. Thread-safe.
/// </summary>
public sealed class AddressProof(TimeProvider time)
{
    /// <summary>
    /// A cookie is echoed within one round trip; the margin covers a peer's retransmissions
    /// (RendezvousClient gives up after about 10 s) on a slow path.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public AddressCookie Mint(IPEndPoint to) => MintAt(to, (uint)time.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>True when <paramref name="cookie"/> was minted by this process for exactly <paramref name="from"/>, within <see cref="Lifetime"/>.</summary>
    public bool Verify(AddressCookie? cookie, IPEndPoint from)
    {
        if (cookie is not { } value)
        {
            return false;
        }

        long age = time.GetUtcNow().ToUnixTimeSeconds() - value.IssuedAt;
        if (age < 0 || age > (long)Lifetime.TotalSeconds)
        {
            return false;
        }

        // Constant time: the tag is a secret-derived value compared against attacker input.
        Span<byte> expected = stackalloc byte[16];
        Span<byte> given = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(expected, MintAt(from, value.IssuedAt).Tag);
        BinaryPrimitives.WriteUInt128BigEndian(given, value.Tag);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private AddressCookie MintAt(IPEndPoint to, uint issuedAt)
    {
        // The IPv4-mapped form: a dual-stack socket may report one source either way.
        Span<byte> input = stackalloc byte[4 + 16 + 2];
        BinaryPrimitives.WriteUInt32BigEndian(input, issuedAt);
        var address = to.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? to.Address.MapToIPv6() : to.Address;
        address.TryWriteBytes(input.Slice(4, 16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(input[20..], (ushort)to.Port);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, input, mac);
        return new AddressCookie(issuedAt, BinaryPrimitives.ReadUInt128BigEndian(mac));
    }
}
