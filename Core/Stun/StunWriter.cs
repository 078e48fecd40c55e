using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Punch.Core.Stun;

/// <summary>
/// Builds one STUN message in a caller's buffer. Running out of space is a programming error (our
/// messages are bounded by <see cref="StunConstants.MaxMessageLength"/>), so it throws.
/// </summary>
public ref struct StunWriter
{
    private readonly Span<byte> _buffer;
    private readonly TransactionId _transactionId;
    private int _length;

    public StunWriter(Span<byte> buffer, StunMessageType type, TransactionId transactionId)
    {
        if (buffer.Length < StunConstants.HeaderLength)
        {
            throw new ArgumentException("Buffer too small for a STUN header.", nameof(buffer));
        }

        _buffer = buffer;
        _transactionId = transactionId;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type.Encode());
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunConstants.MagicCookie);
        transactionId.WriteTo(buffer.Slice(8, StunConstants.TransactionIdLength));
        _length = StunConstants.HeaderLength;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    public void Add(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var slot = Reserve(type, value.Length);
        value.CopyTo(slot);
    }

    public void AddString(ushort type, string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        var slot = Reserve(type, byteCount);
        Encoding.UTF8.GetBytes(value, slot);
    }

    public void AddUInt32(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(type, 4), value);

    public void AddUInt64(ushort type, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Reserve(type, 8), value);

    public void AddFlag(ushort type) => Reserve(type, 0);

    public void AddXorAddress(ushort type, IPEndPoint endPoint) =>
        StunAddress.WriteXor(Reserve(type, StunAddress.ValueLength(endPoint)), endPoint, _transactionId);

    public void AddErrorCode(int code, string reason)
    {
        if (code < 300 || code > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "RFC 8489 §14.8 error codes are 300-699.");
        }

        int reasonBytes = Encoding.UTF8.GetByteCount(reason);
        var slot = Reserve(StunAttributeType.ErrorCode, 4 + reasonBytes);
        slot[0] = 0;
        slot[1] = 0;
        slot[2] = (byte)(code / 100);
        slot[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reason, slot[4..]);
    }

    /// <summary>RFC 8489 §14.5. Must come after every attribute it protects (only FINGERPRINT may follow).</summary>
    public void AddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        int offset = _length;
        var slot = Reserve(StunAttributeType.MessageIntegrity, StunConstants.MessageIntegrityLength);
        StunMessage.ComputeIntegrity(_buffer[.._length], offset, key, IntegrityAlgorithm.Sha1, slot);
    }

    /// <summary>
    /// RFC 8489 §14.6, the same rules as <see cref="AddMessageIntegrity"/>: after every attribute it
    /// protects (and after MESSAGE-INTEGRITY when both are present); only FINGERPRINT may follow.
    /// </summary>
    public void AddMessageIntegritySha256(scoped ReadOnlySpan<byte> key)
    {
        int offset = _length;
        var slot = Reserve(StunAttributeType.MessageIntegritySha256, StunConstants.MessageIntegritySha256Length);
        StunMessage.ComputeIntegrity(_buffer[.._length], offset, key, IntegrityAlgorithm.Sha256, slot);
    }

    /// <summary>RFC 8489 §14.7. Always last.</summary>
    public void AddFingerprint()
    {
        var slot = Reserve(StunAttributeType.Fingerprint, 4);
        uint crc = Crc32.Compute(_buffer[..(_length - 8)]) ^ StunConstants.FingerprintXor;
        BinaryPrimitives.WriteUInt32BigEndian(slot, crc);
    }

    private Span<byte> Reserve(ushort type, int valueLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(valueLength, ushort.MaxValue);

        int padded = (valueLength + 3) & ~3;
        if (_length + 4 + padded > _buffer.Length)
        {
            throw new InvalidOperationException($"STUN message does not fit in {_buffer.Length} bytes.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..], type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_length + 2)..], (ushort)valueLength);
        _buffer.Slice(_length + 4 + valueLength, padded - valueLength).Clear();
        var slot = _buffer.Slice(_length + 4, valueLength);
        _length += 4 + padded;
        // The header length always covers everything written so far, as MESSAGE-INTEGRITY and
        // FINGERPRINT computations (RFC 8489 §14.5, §14.7) expect.
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunConstants.HeaderLength));
        return slot;
    }
}
