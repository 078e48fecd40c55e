namespace Punch.Server.Rendezvous;

/// <summary>How a <see cref="UdpReceiveLoop"/> reads its port: sockets (threads), receive buffer, batching.</summary>
public readonly record struct UdpListenSettings(int Sockets, int ReceiveBufferBytes, bool BatchedIo)
{
    /// <summary>One socket with the OS's receive buffer, batched where the OS can: the probe and alternate cells (Binding only, far less traffic).</summary>
    public static UdpListenSettings Single => new(1, 0, true);
}
