using Punch.Core.Peering;

namespace Punch.Core.Streams;

/// <summary>The payload type byte after the channel header; outside <see cref="PeerFrameType"/>'s 1..5 so both kinds share a session's channel.</summary>
public enum StreamPacketType : byte
{
    /// <summary>Unprotected: the sender's ephemeral ECDH public key.</summary>
    Hello = 0x10,
    /// <summary>AEAD-sealed frames under the keys the hellos agreed.</summary>
    Protected = 0x11,
}
