using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Punch.Server.Udp;

/// <summary>
/// The few Linux socket calls .NET does not expose: recvmmsg(2) and sendmmsg(2), straight from libc
/// (no native library of our own). Constants are Linux's (asm-generic) values.
/// </summary>
internal static unsafe partial class LinuxSockets
{
    public const int SolSocket = 1;
    public const int SoSendBuffer = 7;
    public const int SoReceiveBuffer = 8;
    public const int SoReusePort = 15;
    public const int SoReceiveTimeout = 20;
    public const int SoSendBufferForce = 32;
    public const int SoReceiveBufferForce = 33;

    /// <summary>MSG_TRUNC in a message's flags: the datagram was longer than the buffer.</summary>
    public const int MessageTruncated = 0x20;

    /// <summary>MSG_WAITFORONE: block for the first datagram only, then take what is queued (without it recvmmsg waits for a full batch).</summary>
    public const int WaitForOne = 0x10000;

    public const int Interrupted = 4;        // EINTR
    public const int WouldBlock = 11;        // EAGAIN: SO_RCVTIMEO expired with nothing queued
    public const int NotImplemented = 38;    // ENOSYS: kernel without the call (or a seccomp filter that refuses it)
    public const int NotSupported = 95;      // EOPNOTSUPP

    /// <summary>Batching needs Linux, a 64-bit layout of <see cref="MessageHeader"/>, and the call in libc.</summary>
    public static bool Available => OperatingSystem.IsLinux() && IntPtr.Size == 8;

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMessages(nint socket, MessageHeader* messages, uint count, int flags, nint timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMessages(nint socket, MessageHeader* messages, uint count, int flags);

    /// <summary>SO_REUSEPORT before bind: the kernel spreads datagrams over the sockets on the port by a hash of the 4-tuple, so one source always reaches the same socket.</summary>
    public static void ReusePort(Socket socket) => socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));

    /// <summary>
    /// Asks for <paramref name="bytes"/> of receive buffer: SO_RCVBUFFORCE passes net.core.rmem_max when the
    /// process may (CAP_NET_ADMIN); else SO_RCVBUF, which the kernel caps there. Returns what the kernel
    /// reports it took (Linux doubles the request for its bookkeeping).
    /// </summary>
    public static int SetReceiveBuffer(Socket socket, int bytes)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, SoReceiveBufferForce, BitConverter.GetBytes(bytes));
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = bytes;
        }

        return socket.ReceiveBufferSize;
    }

    /// <summary>SO_RCVTIMEO so a blocked recvmmsg returns now and then: the loop looks at its stop flag at least this often.</summary>
    public static void SetReceiveTimeout(Socket socket, TimeSpan timeout)
    {
        Span<byte> timeval = stackalloc byte[16];
        BitConverter.TryWriteBytes(timeval, (long)timeout.TotalSeconds);
        BitConverter.TryWriteBytes(timeval[8..], (long)(timeout.TotalMicroseconds % 1_000_000));
        socket.SetRawSocketOption(SolSocket, SoReceiveTimeout, timeval);
    }
}
