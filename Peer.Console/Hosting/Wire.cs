using Punch.Core.Stun;

namespace Punch.Peer.Hosting;

/// <summary>The shape of every Core message's <c>WriteTo</c>.</summary>
internal delegate int MessageWriter(Span<byte> destination);

internal static class Wire
{
    /// <summary>Encodes one message into a right-sized array (kept for retransmission).</summary>
    public static byte[] Encode(MessageWriter write)
    {
        Span<byte> buffer = stackalloc byte[StunConstants.MaxMessageLength + 64];
        int length = write(buffer);
        return buffer[..length].ToArray();
    }
}
