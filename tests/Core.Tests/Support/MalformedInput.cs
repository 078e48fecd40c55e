using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Tests.Support;

/// <summary>What the malformed-message tests share.</summary>
internal static class MalformedInput
{
    public static readonly StunMessageType RegisterType = new(PunchMethod.Register, StunClass.Request);

    public static byte[] Catalog(string name) => MessageCatalog.Get(name).Datagram;

    public static bool Parses(byte[] datagram) => StunMessage.TryParse(datagram, out _);
}
