using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Stun;

public sealed class StunAddressTests
{
    /// <summary>What a dual-mode (IPv6 any) socket reports as the sender of an IPv4 datagram.</summary>
    private static readonly IPEndPoint MappedV4 = new(IPAddress.Parse("198.51.100.7").MapToIPv6(), 3478);

    [Fact]
    public void Ipv4_mapped_sender_is_written_as_a_plain_ipv4_address()
    {
        var response = new BindingResponse(Wire.FixedTransactionId, MappedV4);
        var datagram = Wire.Write(d => response.WriteTo(d));

        Assert.True(BindingResponse.TryRead(datagram, out var read), "a response to a dual-mode socket's sender must be readable");
        Assert.Equal(MessageCatalog.PublicV4, read.MappedEndPoint);
        Assert.Equal(Hex.Format(MessageCatalog.Get("BindingResponse").Datagram), Hex.Format(datagram));
    }

    [Fact]
    public void Ipv4_mapped_candidate_round_trips_as_ipv4()
    {
        var register = new RegisterRequest(Wire.FixedTransactionId, MessageCatalog.Alice, [MappedV4]);
        var datagram = Wire.Write(register.WriteTo);

        Assert.True(RegisterRequest.TryRead(datagram, out var read));
        Assert.Equal<IPEndPoint>([MessageCatalog.PublicV4], read.HostCandidates);
    }

    [Theory]
    [InlineData("0.0.0.0", 0)]
    [InlineData("255.255.255.255", 65535)]
    [InlineData("::", 1)]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535)]
    public void Extreme_addresses_round_trip(string address, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(address), port);
        var value = new byte[StunAddress.ValueLength(endPoint)];
        Assert.Equal(value.Length, StunAddress.WriteXor(value, endPoint, Wire.FixedTransactionId));
        Assert.True(StunAddress.TryReadXor(value, Wire.FixedTransactionId, out var xorRead));
        Assert.Equal(endPoint, xorRead);

        Assert.Equal(value.Length, StunAddress.WritePlain(value, endPoint));
        Assert.True(StunAddress.TryReadPlain(value, out var plainRead));
        Assert.Equal(endPoint, plainRead);
    }
}
