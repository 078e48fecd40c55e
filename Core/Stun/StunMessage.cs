using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Punch.Core.Stun;

/// <summary>
/// A parsed view over one STUN datagram (RFC 8489 §5, §14). Parsing checks every length against the
/// datagram and never throws: untrusted bytes either give a message or <c>false</c>.
/// </summary>
public readonly ref struct StunMessage
{
    private readonly int _integrityOffset;
    private readonly int _integritySha256Offset;
    private readonly int _fingerprintOffset;

    private StunMessage(ReadOnlySpan<byte> datagram, StunMessageType type, TransactionId transactionId, int integrityOffset, int integritySha256Offset, int fingerprintOffset)
    {
        Datagram = datagram;
        Type = type;
        TransactionId = transactionId;
        _integrityOffset = integrityOffset;
        _integritySha256Offset = integritySha256Offset;
        _fingerprintOffset = fingerprintOffset;
    }

    public ReadOnlySpan<byte> Datagram { get; }
    public StunMessageType Type { get; }
    public TransactionId TransactionId { get; }
    public bool HasMessageIntegrity => _integrityOffset >= 0;
    public bool HasMessageIntegritySha256 => _integritySha256Offset >= 0;
    public bool HasFingerprint => _fingerprintOffset >= 0;

    /// <summary>The cheap test a demultiplexer uses (RFC 8489 §5 and RFC 7983): top two bits zero and the magic cookie in place.</summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= StunConstants.HeaderLength
        && (datagram[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == StunConstants.MagicCookie;

    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessage message)
    {
        message = default;
        if (!LooksLikeStun(datagram))
        {
            return false;
        }

        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((bodyLength & 3) != 0 || StunConstants.HeaderLength + bodyLength != datagram.Length)
        {
            return false;
        }

        int integrityOffset = -1;
        int integritySha256Offset = -1;
        int fingerprintOffset = -1;
        int offset = StunConstants.HeaderLength;
        while (offset < datagram.Length)
        {
            if (fingerprintOffset >= 0)
            {
                return false; // RFC 8489 §14.7: FINGERPRINT is always the last attribute.
            }

            if (datagram.Length - offset < 4)
            {
                return false;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            int padded = (length + 3) & ~3;
            if (padded > datagram.Length - offset - 4)
            {
                return false;
            }

            // RFC 8489 §14.5/§14.6: MESSAGE-INTEGRITY may be followed by MESSAGE-INTEGRITY-SHA256, not the other way round;
            // anything after the first integrity attribute is ignored (see Attributes), so later copies are too.
            if (type == StunAttributeType.MessageIntegrity && integrityOffset < 0 && integritySha256Offset < 0)
            {
                if (length != StunConstants.MessageIntegrityLength)
                {
                    return false;
                }

                integrityOffset = offset;
            }
            else if (type == StunAttributeType.MessageIntegritySha256 && integritySha256Offset < 0)
            {
                if (length != StunConstants.MessageIntegritySha256Length)
                {
                    return false;
                }

                integritySha256Offset = offset;
            }
            else if (type == StunAttributeType.Fingerprint)
            {
                if (length != 4)
                {
                    return false;
                }

                fingerprintOffset = offset;
            }

            offset += 4 + padded;
        }

        var messageType = StunMessageType.Decode(BinaryPrimitives.ReadUInt16BigEndian(datagram));
        var transactionId = TransactionId.Read(datagram.Slice(8, StunConstants.TransactionIdLength));
        message = new StunMessage(datagram, messageType, transactionId, integrityOffset, integritySha256Offset, fingerprintOffset);
        return true;
    }

    /// <summary>
    /// The first attribute of the type. Attributes after MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256
    /// are not covered by it and RFC 8489 §14.5/§14.6 say to ignore them, so they are not returned.
    /// </summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public bool TryGetString(ushort type, int maxBytes, out string value)
    {
        value = string.Empty;
        if (!TryGetAttribute(type, out var raw) || raw.Length > maxBytes)
        {
            return false;
        }

        try
        {
            value = StrictUtf8.GetString(raw);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    public bool TryGetUInt32(ushort type, out uint value)
    {
        value = 0;
        if (!TryGetAttribute(type, out var raw) || raw.Length != 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(raw);
        return true;
    }

    public bool TryGetXorAddress(ushort type, out IPEndPoint endPoint)
    {
        endPoint = null!;
        return TryGetAttribute(type, out var raw) && StunAddress.TryReadXor(raw, TransactionId, out endPoint);
    }

    /// <summary>RFC 8489 §14.8: class (hundreds) and number, then a UTF-8 reason phrase.</summary>
    public bool TryGetErrorCode(out int code, out string reason)
    {
        code = 0;
        reason = string.Empty;
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out var raw) || raw.Length < 4 || raw.Length > 4 + 763)
        {
            return false;
        }

        int errorClass = raw[2] & 0x07;
        int number = raw[3];
        if (errorClass < 3 || errorClass > 6 || number > 99)
        {
            return false;
        }

        code = errorClass * 100 + number;
        try
        {
            reason = StrictUtf8.GetString(raw[4..]);
        }
        catch (DecoderFallbackException)
        {
            reason = string.Empty;
        }

        return true;
    }

    public AttributeEnumerable Attributes => new(Datagram, EndOfProtectedAttributes);

    /// <summary>Where the attributes a reader may use end: after the first integrity attribute, or at the end of the message.</summary>
    private int EndOfProtectedAttributes => (_integrityOffset, _integritySha256Offset) switch
    {
        ( >= 0, _) => _integrityOffset + 4 + StunConstants.MessageIntegrityLength,
        (_, >= 0) => _integritySha256Offset + 4 + StunConstants.MessageIntegritySha256Length,
        _ => Datagram.Length,
    };

    /// <summary>RFC 8489 §14.5: HMAC-SHA1 over the message up to MESSAGE-INTEGRITY, with the header length
    /// field set as if MESSAGE-INTEGRITY were the last attribute.</summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key) => VerifyIntegrity(_integrityOffset, key, IntegrityAlgorithm.Sha1);

    /// <summary>RFC 8489 §14.6: the same as <see cref="VerifyMessageIntegrity"/> with HMAC-SHA256 and a 32-byte value.</summary>
    public bool VerifyMessageIntegritySha256(ReadOnlySpan<byte> key) => VerifyIntegrity(_integritySha256Offset, key, IntegrityAlgorithm.Sha256);

    private bool VerifyIntegrity(int offset, ReadOnlySpan<byte> key, IntegrityAlgorithm algorithm)
    {
        if (offset < 0)
        {
            return false;
        }

        int length = algorithm.Length();
        Span<byte> expected = stackalloc byte[length];
        ComputeIntegrity(Datagram, offset, key, algorithm, expected);
        return CryptographicOperations.FixedTimeEquals(expected, Datagram.Slice(offset + 4, length));
    }

    public bool VerifyFingerprint()
    {
        if (_fingerprintOffset < 0)
        {
            return false;
        }

        uint expected = Crc32.Compute(Datagram[.._fingerprintOffset]) ^ StunConstants.FingerprintXor;
        return BinaryPrimitives.ReadUInt32BigEndian(Datagram[(_fingerprintOffset + 4)..]) == expected;
    }

    /// <summary>
    /// RFC 8489 §14.5/§14.6: the HMAC over the message up to the integrity attribute at
    /// <paramref name="integrityOffset"/>, with the header's length field set as if that attribute
    /// were the last one (so FINGERPRINT, added later, does not change it).
    /// </summary>
    internal static void ComputeIntegrity(ReadOnlySpan<byte> message, int integrityOffset, ReadOnlySpan<byte> key, IntegrityAlgorithm algorithm, Span<byte> destination)
    {
        Span<byte> header = stackalloc byte[StunConstants.HeaderLength];
        message[..StunConstants.HeaderLength].CopyTo(header);
        int lengthThroughIntegrity = integrityOffset - StunConstants.HeaderLength + 4 + algorithm.Length();
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)lengthThroughIntegrity);
        using var hmac = IncrementalHash.CreateHMAC(algorithm == IntegrityAlgorithm.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, key);
        hmac.AppendData(header);
        hmac.AppendData(message[StunConstants.HeaderLength..integrityOffset]);
        hmac.GetHashAndReset(destination);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public readonly ref struct StunAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        public ushort Type { get; } = type;
        public ReadOnlySpan<byte> Value { get; } = value;
    }

    public readonly ref struct AttributeEnumerable(ReadOnlySpan<byte> datagram, int end)
    {
        private readonly ReadOnlySpan<byte> _datagram = datagram;
        private readonly int _end = end;

        public AttributeEnumerator GetEnumerator() => new(_datagram, _end);
    }

    /// <summary>Walks attributes already bounds-checked by <see cref="TryParse"/>; stops after the first integrity attribute (<paramref name="end"/>).</summary>
    public ref struct AttributeEnumerator(ReadOnlySpan<byte> datagram, int end)
    {
        private readonly ReadOnlySpan<byte> _datagram = datagram;
        private readonly int _end = end;
        private int _next = StunConstants.HeaderLength;
        private int _currentOffset = -1;

        public readonly StunAttribute Current
        {
            get
            {
                ushort type = BinaryPrimitives.ReadUInt16BigEndian(_datagram[_currentOffset..]);
                int length = BinaryPrimitives.ReadUInt16BigEndian(_datagram[(_currentOffset + 2)..]);
                return new StunAttribute(type, _datagram.Slice(_currentOffset + 4, length));
            }
        }

        public bool MoveNext()
        {
            if (_next >= _end)
            {
                return false;
            }

            _currentOffset = _next;
            int length = BinaryPrimitives.ReadUInt16BigEndian(_datagram[(_next + 2)..]);
            _next += 4 + ((length + 3) & ~3);
            return true;
        }
    }
}
