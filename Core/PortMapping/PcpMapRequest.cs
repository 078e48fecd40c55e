using System.Buffers.Binary;
using System.Net;

namespace Punch.Core.PortMapping;

/// <summary>
/// Client → gateway (RFC 6887 §11.1): map <paramref name="InternalPort"/> of <paramref name="ClientAddress"/>
/// (the address the request leaves from; a gateway that sees another answers ADDRESS_MISMATCH, §8.1) for
/// <paramref name="LifetimeSeconds"/> (0 deletes, §15), suggesting an external port and address (0 and
/// the unspecified address: any). No options are sent.
/// </summary>
public readonly record struct PcpMapRequest(
    PcpNonce Nonce, MappedTransport Transport, IPAddress ClientAddress, ushort InternalPort, uint LifetimeSeconds, ushort SuggestedExternalPort = 0, IPAddress? SuggestedExternalAddress = null)
{
    public const int Length = Pcp.HeaderLength + Pcp.MapDataLength;

    public int WriteTo(Span<byte> destination)
    {
        var message = destination[..Length];
        message.Clear();
        message[0] = Pcp.Version;
        message[1] = Pcp.MapOpcode;
        BinaryPrimitives.WriteUInt32BigEndian(message[4..], LifetimeSeconds);
        Pcp.WriteAddress(message[8..], ClientAddress);
        var map = message[Pcp.HeaderLength..];
        Nonce.WriteTo(map);
        map[12] = (byte)Transport;
        BinaryPrimitives.WriteUInt16BigEndian(map[16..], InternalPort);
        BinaryPrimitives.WriteUInt16BigEndian(map[18..], SuggestedExternalPort);
        // §11.1: "all zeros" suggests nothing; for IPv4 that is ::ffff:0.0.0.0.
        Pcp.WriteAddress(map[20..], SuggestedExternalAddress ?? IPAddress.Any);
        return Length;
    }

    /// <summary>What a gateway reads (the tests' stand-ins): a version 2 MAP request of valid length; options after the MAP data are skipped.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out PcpMapRequest request)
    {
        request = default;
        if (!Pcp.HasValidLength(datagram.Length, Length) || datagram[0] != Pcp.Version || datagram[1] != Pcp.MapOpcode
            || datagram[Pcp.HeaderLength + 12] is not ((byte)MappedTransport.Udp or (byte)MappedTransport.Tcp))
        {
            return false;
        }

        var map = datagram[Pcp.HeaderLength..];
        request = new PcpMapRequest(PcpNonce.Read(map), (MappedTransport)map[12], Pcp.ReadAddress(datagram[8..]), BinaryPrimitives.ReadUInt16BigEndian(map[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]), BinaryPrimitives.ReadUInt16BigEndian(map[18..]), Pcp.ReadAddress(map[20..]));
        return true;
    }
}
