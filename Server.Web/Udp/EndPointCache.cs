using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Punch.Server.Udp;

/// <summary>
/// The <see cref="IPEndPoint"/> of a source, made once per source rather than once per datagram: a
/// direct-mapped table of <see cref="Size"/> entries per receive thread (no lock), keyed by address and
/// port with the process-seeded <see cref="HashCode"/>, so a flood of spoofed sources only makes misses
/// (one allocation each, as before the cache) and never grows memory. Measured with the allocation test:
/// 56 bytes (IPEndPoint + IPAddress) per Binding before, 0 on a hit.
/// </summary>
internal sealed class EndPointCache
{
    /// <summary>4096 entries × 32 bytes: far more sources than one thread sees within a client's retransmission time.</summary>
    public const int Size = 4096;

    private readonly Entry[] _entries = new Entry[Size];
    private readonly IPEndPoint _template;

    public EndPointCache(AddressFamily family) =>
        _template = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

    public IPEndPoint Get(SocketAddress address)
    {
        var key = AddressKey.Of(address);
        int port = BinaryPrimitives.ReadUInt16BigEndian(address.Buffer.Span[2..]);
        ref var entry = ref _entries[HashCode.Combine(key, port) & (Size - 1)];
        if (entry.EndPoint is { } cached && entry.Key == key && entry.Port == port)
        {
            return cached;
        }

        var from = (IPEndPoint)_template.Create(address);
        if (from.Address.IsIPv4MappedToIPv6)
        {
            from = new IPEndPoint(from.Address.MapToIPv4(), from.Port);
        }

        entry = new Entry(key, port, from);
        return from;
    }

    private readonly record struct Entry(UInt128 Key, int Port, IPEndPoint? EndPoint);
}
