namespace Punch.Peer.Output;

public sealed record PingSummary(int Sent, int Received, TimeSpan? Min, TimeSpan? Average, TimeSpan? Max)
{
    public int Lost => Sent - Received;
}
