namespace Punch.Core.Peering;

public enum PeerFrameType : byte
{
    /// <summary>Sequence and the sender's timestamp; answered by a Pong echoing both.</summary>
    Ping = 1,
    Pong = 2,
    /// <summary>A line of text; acknowledged by MessageAck with the same sequence, retransmitted until then.</summary>
    Message = 3,
    MessageAck = 4,
    /// <summary>The sender is leaving the session; Text says why.</summary>
    Close = 5,
}
