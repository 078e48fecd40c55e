using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Punch.Server.Udp;

/// <summary>
/// Writes an <see cref="IPEndPoint"/> as a Linux sockaddr_in / sockaddr_in6 without allocating
/// (<see cref="IPEndPoint.Serialize"/> allocates a SocketAddress per call).
/// </summary>
internal static class SocketAddressWriter
{
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    /// <summary>Returns the sockaddr's length; an IPv4 endpoint becomes ::ffff:a.b.c.d on an IPv6 socket.</summary>
    public static int Write(IPEndPoint to, AddressFamily socketFamily, Span<byte> name)
    {
        var address = to.Address;
        if (socketFamily == AddressFamily.InterNetwork)
        {
            if (address.AddressFamily != AddressFamily.InterNetwork)
            {
                if (!address.IsIPv4MappedToIPv6)
                {
                    return 0;
                }

                address = address.MapToIPv4();
            }

            name[..16].Clear();
            MemoryMarshal.Write(name, AfInet);
            BinaryPrimitives.WriteUInt16BigEndian(name[2..], (ushort)to.Port);
            address.TryWriteBytes(name[4..8], out _);
            return 16;
        }

        name[..28].Clear();
        MemoryMarshal.Write(name, AfInet6);
        BinaryPrimitives.WriteUInt16BigEndian(name[2..], (ushort)to.Port);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            name[18] = 0xFF;
            name[19] = 0xFF;
            address.TryWriteBytes(name[20..24], out _);
        }
        else
        {
            address.TryWriteBytes(name[8..24], out _);
            BinaryPrimitives.WriteUInt32LittleEndian(name[24..], (uint)address.ScopeId);
        }

        return 28;
    }
}
