namespace Punch.Core.Streams;

/// <summary>One stream: our sending side and our receiving side.</summary>
internal sealed class TransportStream(ulong id, bool openedByPeer, SendHalf send, ReceiveHalf receive)
{
    public ulong Id { get; } = id;
    public bool OpenedByPeer { get; } = openedByPeer;
    public SendHalf Send { get; } = send;
    public ReceiveHalf Receive { get; } = receive;
    public bool HasControl => Receive.CreditPending || Receive.StopPending || Send.ResetPending;
}
