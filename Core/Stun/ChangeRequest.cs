using System.Buffers.Binary;

namespace Punch.Core.Stun;

/// <summary>The CHANGE-REQUEST value of RFC 5780 §7.2: 32 bits, "change IP" is 0x4 and "change port" is 0x2.</summary>
public readonly record struct ChangeRequest(bool ChangeAddress, bool ChangePort)
{
    public const int ValueLength = 4;
    private const uint ChangeAddressFlag = 0x4;
    private const uint ChangePortFlag = 0x2;

    public bool AsksForChange => ChangeAddress || ChangePort;

    public void WriteTo(Span<byte> value) =>
        BinaryPrimitives.WriteUInt32BigEndian(value, (ChangeAddress ? ChangeAddressFlag : 0) | (ChangePort ? ChangePortFlag : 0));

    /// <summary>Other bits are reserved and ignored (RFC 5780 §7.2 says "MUST be ignored"); a wrong length is malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out ChangeRequest request)
    {
        request = default;
        if (value.Length != ValueLength)
        {
            return false;
        }

        uint flags = BinaryPrimitives.ReadUInt32BigEndian(value);
        request = new ChangeRequest((flags & ChangeAddressFlag) != 0, (flags & ChangePortFlag) != 0);
        return true;
    }

    public override string ToString() => (ChangeAddress, ChangePort) switch
    {
        (true, true) => "change address and port",
        (true, false) => "change address",
        (false, true) => "change port",
        _ => "no change",
    };
}
