using System.Buffers.Binary;
using System.Net;

namespace Punch.Core.PortMapping;

/// <summary>
/// Gateway → client (RFC 6887 §11.1 and §7.2): the result, the lifetime granted (on an error, how long the
/// error holds), the gateway's epoch (§8.5: a jump back means it lost its mappings), and the external
/// port and address assigned to the nonce's mapping.
/// </summary>
public readonly record struct PcpMapResponse(
    PcpNonce Nonce, MappedTransport Transport, PcpResultCode Result, uint LifetimeSeconds, uint EpochSeconds, ushort InternalPort, ushort ExternalPort, IPAddress ExternalAddress)
{
    public const int Length = Pcp.HeaderLength + Pcp.MapDataLength;

    public int WriteTo(Span<byte> destination)
    {
        var message = destination[..Length];
        message.Clear();
        message[0] = Pcp.Version;
        message[1] = Pcp.ResponseBit | Pcp.MapOpcode;
        message[3] = (byte)Result;
        BinaryPrimitives.WriteUInt32BigEndian(message[4..], LifetimeSeconds);
        BinaryPrimitives.WriteUInt32BigEndian(message[8..], EpochSeconds);
        var map = message[Pcp.HeaderLength..];
        Nonce.WriteTo(map);
        map[12] = (byte)Transport;
        BinaryPrimitives.WriteUInt16BigEndian(map[16..], InternalPort);
        BinaryPrimitives.WriteUInt16BigEndian(map[18..], ExternalPort);
        Pcp.WriteAddress(map[20..], ExternalAddress);
        return Length;
    }

    /// <summary>
    /// A version 2 MAP response of valid length (§7: options after the MAP data are skipped). The caller
    /// matches the nonce, transport and internal port against its request (§11.3) before believing it.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out PcpMapResponse response)
    {
        response = default;
        if (!Pcp.HasValidLength(datagram.Length, Length) || datagram[0] != Pcp.Version || datagram[1] != (Pcp.ResponseBit | Pcp.MapOpcode)
            || datagram[Pcp.HeaderLength + 12] is not ((byte)MappedTransport.Udp or (byte)MappedTransport.Tcp))
        {
            return false;
        }

        var map = datagram[Pcp.HeaderLength..];
        response = new PcpMapResponse(PcpNonce.Read(map), (MappedTransport)map[12], (PcpResultCode)datagram[3],
            BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]), BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(map[16..]), BinaryPrimitives.ReadUInt16BigEndian(map[18..]), Pcp.ReadAddress(map[20..]));
        return true;
    }
}
