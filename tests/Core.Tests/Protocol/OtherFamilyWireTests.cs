using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Protocol;

/// <summary>
/// The server's other-family endpoint (OTHER-FAMILY-SERVER in a Register response) and the peer's server-reflexive
/// candidate of that family (in a Register): random endpoints of both families round-trip, and what could only mislead is dropped.
/// </summary>
public sealed class OtherFamilyWireTests
{
    private const int RandomCases = 2_000;

    [Fact]
    public void Random_endpoints_of_either_family_round_trip()
    {
        var random = new Random(8421);
        for (int i = 0; i < RandomCases; i++)
        {
            var tid = TransactionId.NewRandom();
            bool registeredOverIpv4 = random.Next(2) == 0;
            var seen = RandomEndPoint(random, ipv6: !registeredOverIpv4);
            var other = RandomEndPoint(random, ipv6: registeredOverIpv4);

            var response = new RegistrationResponse(PunchMethod.Register, tid, seen, TimeSpan.FromSeconds(random.Next(1, 100_000)), null, null, other);
            Assert.True(RegistrationResponse.TryRead(Wire.Write(response.WriteTo), out var readResponse));
            Assert.Equal(response, readResponse);

            var register = new RegisterRequest(tid, MessageCatalog.Alice, [RandomEndPoint(random, ipv6: random.Next(2) == 0)], OtherFamilyReflexive: other);
            Assert.True(RegisterRequest.TryRead(Wire.Write(register.WriteTo), out var readRegister));
            Assert.Equal(other, readRegister.OtherFamilyReflexive);
            Assert.Equal<IPEndPoint>(register.HostCandidates, readRegister.HostCandidates);
        }
    }

    [Theory]
    [InlineData("[2001:db8::9]:3478", "[2001:db8::5]:5000")]      // the same family as the mapped address: the peer has it already
    [InlineData("[::ffff:203.0.113.9]:3478", "198.51.100.7:3478")] // IPv4 again, in IPv6 clothes
    [InlineData("0.0.0.0:3478", "[2001:db8::5]:5000")]
    [InlineData("[::]:3478", "198.51.100.7:3478")]
    [InlineData("[2001:db8::9]:0", "198.51.100.7:3478")]
    public void An_other_family_endpoint_that_cannot_be_used_is_dropped_and_the_rest_still_reads(string otherText, string seenText)
    {
        var seen = IPEndPoint.Parse(seenText);
        var response = new RegistrationResponse(PunchMethod.Register, Wire.FixedTransactionId, seen, TimeSpan.FromSeconds(30), null, null, IPEndPoint.Parse(otherText));
        Assert.True(RegistrationResponse.TryRead(Wire.Write(response.WriteTo), out var read));
        Assert.Null(read.OtherFamilyEndPoint);
        Assert.Equal(seen, read.PublicEndPoint);
    }

    [Fact]
    public void A_register_with_two_server_reflexive_candidates_is_malformed()
    {
        var datagram = Wire.Build(new StunMessageType(PunchMethod.Register, StunClass.Request), b => b
            .AddString(PunchAttributeType.PeerName, "alice").AddString(PunchAttributeType.Network, "home")
            .Add(PunchAttributeType.Candidate, CandidateValue(CandidateKind.ServerReflexive, IPEndPoint.Parse("[2001:db8::5]:5000")))
            .Add(PunchAttributeType.Candidate, CandidateValue(CandidateKind.ServerReflexive, IPEndPoint.Parse("[2001:db8::6]:5000"))));
        Assert.False(RegisterRequest.TryRead(datagram, out _));
    }

    private static byte[] CandidateValue(CandidateKind kind, IPEndPoint endPoint)
    {
        var value = new byte[4 + StunAddress.ValueLength(endPoint)];
        value[0] = (byte)kind;
        StunAddress.WriteXor(value.AsSpan(4), endPoint, Wire.FixedTransactionId);
        return value;
    }

    private static IPEndPoint RandomEndPoint(Random random, bool ipv6)
    {
        byte[] bytes = new byte[ipv6 ? 16 : 4];
        random.NextBytes(bytes);
        if (ipv6)
        {
            bytes[0] = 0x20; // global unicast: never ::, never ::ffff:a.b.c.d
        }

        return new IPEndPoint(new IPAddress(bytes), random.Next(1, 65536));
    }
}
