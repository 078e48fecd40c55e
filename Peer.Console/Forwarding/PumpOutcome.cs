namespace Punch.Peer.Forwarding;

/// <summary>How one forwarded TCP connection ended: cleanly (both sides finished) or with the reason it broke.</summary>
internal sealed record PumpOutcome(long BytesIn, long BytesOut, string? Problem);
