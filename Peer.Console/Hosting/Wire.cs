using Punch.Core.Stun;

namespace Punch.Peer.Hosting;

/// <summary>The shape of every Core message's <c>WriteTo</c>.</summary>
internal delegate int MessageWriter(Span<byte> destination);

/// <summary>The shape of a signable Core message's <c>WriteTo</c> (requests to the server).</summary>
internal delegate int SignedMessageWriter(Span<byte> destination, Punch.Core.Protocol.MessageSignature? signature);

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
