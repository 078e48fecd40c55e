using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Punch.Core.Streams;

/// <summary>
/// The connection's keys. Each side makes an ephemeral P-256 key pair and sends the public half in its
/// hello; the ECDH shared secret goes through HKDF-SHA256 (RFC 5869) with the pre-shared secret as salt
/// and, as info, the session id and both public keys in role order (the transcript), so keys of one
/// session never serve another and a swapped key changes every key. Out come a 32-byte AES-256-GCM
/// key and a 12-byte IV per direction; a packet's nonce is its IV XOR its packet number (as RFC 9001 §5.3).
/// The rendezvous server's session credentials are never an input: the server knows them.
/// </summary>
public sealed class PacketProtection : IDisposable
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("punch-stream/1");
    private const int KeyLength = 32;
    private const int IvLength = 12;

    private readonly ECDiffieHellman _ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private AesGcm? _sealer;
    private AesGcm? _opener;
    private byte[] _sealIv = [];
    private byte[] _openIv = [];

    public PacketProtection()
    {
        var parameters = _ephemeral.ExportParameters(includePrivateParameters: false);
        PublicKey = [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
    }

    /// <summary>Our public key, uncompressed (0x04 || X || Y).</summary>
    public byte[] PublicKey { get; }

    public byte[]? PeerPublicKey { get; private set; }
    public bool HasKeys => _sealer is not null;

    /// <summary>Agrees keys with the peer's public key; false when it is not a valid P-256 point (an error saying so in <paramref name="problem"/>).</summary>
    public bool TryAgree(ReadOnlySpan<byte> peerPublicKey, StreamRole role, ulong sessionId, ReadOnlySpan<byte> secret, out string? problem)
    {
        problem = null;
        byte[] shared;
        try
        {
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = peerPublicKey.Slice(1, 32).ToArray(), Y = peerPublicKey.Slice(33, 32).ToArray() },
            });
            shared = _ephemeral.DeriveRawSecretAgreement(peer.PublicKey);
        }
        catch (CryptographicException e)
        {
            problem = $"the peer's public key is not a valid P-256 point ({e.Message})";
            return false;
        }

        byte[] openerKey = role == StreamRole.Opener ? PublicKey : peerPublicKey.ToArray();
        byte[] acceptorKey = role == StreamRole.Opener ? peerPublicKey.ToArray() : PublicKey;
        byte[] salt = [.. Label, .. secret];
        byte[] prk = HKDF.Extract(HashAlgorithmName.SHA256, shared, salt);
        var info = new byte[8 + openerKey.Length + acceptorKey.Length];
        BinaryPrimitives.WriteUInt64BigEndian(info, sessionId);
        openerKey.CopyTo(info, 8);
        acceptorKey.CopyTo(info, 8 + openerKey.Length);
        var openerToAcceptor = Expand(prk, info, "opener");
        var acceptorToOpener = Expand(prk, info, "acceptor");
        var (seal, open) = role == StreamRole.Opener ? (openerToAcceptor, acceptorToOpener) : (acceptorToOpener, openerToAcceptor);
        _sealer = new AesGcm(seal[..KeyLength], ProtectedHeader.TagLength);
        _sealIv = seal[KeyLength..];
        _opener = new AesGcm(open[..KeyLength], ProtectedHeader.TagLength);
        _openIv = open[KeyLength..];
        CryptographicOperations.ZeroMemory(shared);
        CryptographicOperations.ZeroMemory(prk);
        PeerPublicKey = peerPublicKey.ToArray();
        return true;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/> (same length plus the tag) with the header as associated data.</summary>
    public int Seal(ulong packetNumber, ReadOnlySpan<byte> header, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        Span<byte> nonce = stackalloc byte[IvLength];
        MakeNonce(_sealIv, packetNumber, nonce);
        _sealer!.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, ProtectedHeader.TagLength), header);
        return plaintext.Length + ProtectedHeader.TagLength;
    }

    /// <summary>Decrypts and authenticates; false for anything altered, forged, sealed under other keys, or longer than <paramref name="plaintext"/>.</summary>
    public bool TryOpen(ulong packetNumber, ReadOnlySpan<byte> header, ReadOnlySpan<byte> sealedPayload, Span<byte> plaintext)
    {
        // The sealed length comes from the unauthenticated header, so a datagram bigger than any we send
        // (anyone can send one before the tag is checked) must be refused here, not sliced past the buffer.
        if (_opener is null || sealedPayload.Length < ProtectedHeader.TagLength || sealedPayload.Length - ProtectedHeader.TagLength > plaintext.Length)
        {
            return false;
        }

        Span<byte> nonce = stackalloc byte[IvLength];
        MakeNonce(_openIv, packetNumber, nonce);
        int length = sealedPayload.Length - ProtectedHeader.TagLength;
        try
        {
            _opener.Decrypt(nonce, sealedPayload[..length], sealedPayload[length..], plaintext[..length], header);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _ephemeral.Dispose();
        _sealer?.Dispose();
        _opener?.Dispose();
    }

    private static byte[] Expand(byte[] prk, byte[] info, string direction) =>
        HKDF.Expand(HashAlgorithmName.SHA256, prk, KeyLength + IvLength, [.. info, .. Encoding.ASCII.GetBytes(direction)]);

    private static void MakeNonce(byte[] iv, ulong packetNumber, Span<byte> nonce)
    {
        iv.CopyTo(nonce);
        ulong tail = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ packetNumber;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], tail);
    }
}
