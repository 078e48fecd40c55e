using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Discovery;

internal static class PlainAddressExtensions
{
    public static void AddPlainAddress(ref this StunWriter writer, ushort type, IPEndPoint endPoint)
    {
        Span<byte> value = stackalloc byte[StunAddress.IPv6ValueLength];
        int length = StunAddress.WritePlain(value, endPoint);
        writer.Add(type, value[..length]);
    }

    public static bool TryGetPlainAddress(this StunMessage message, ushort type, out IPEndPoint endPoint)
    {
        endPoint = null!;
        return message.TryGetAttribute(type, out var raw) && StunAddress.TryReadPlain(raw, out endPoint);
    }
}
