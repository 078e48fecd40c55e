using System.Net;
using System.Text;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Stun;

/// <summary>The test vectors of RFC 5769 §2.1-2.3, byte for byte as the RFC prints them.</summary>
public sealed class Rfc5769VectorTests
{
    /// <summary>RFC 5769 §2: the short-term password all three vectors are signed with.</summary>
    private static readonly byte[] Password = Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    private static readonly TransactionId VectorTransactionId = TransactionId.Read(Hex.Parse("b7e7a701 bc34d686 fa87dfae"));

    /// <summary>§2.1 Sample Request. Note the USERNAME padding is three spaces, not zeros.</summary>
    internal static readonly byte[] SampleRequest = Hex.Parse("""
        00 01 00 58  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
        80 22 00 10  53 54 55 4e  20 74 65 73  74 20 63 6c  69 65 6e 74
        00 24 00 04  6e 00 01 ff
        80 29 00 08  93 2f f9 b1  51 26 3b 36
        00 06 00 09  65 76 74 6a  3a 68 36 76  59 20 20 20
        00 08 00 14  9a ea a7 0c  bf d8 cb 56  78 1e f2 b5  b2 d3 f2 49  c1 b5 71 a2
        80 28 00 04  e5 7a 3b cf
        """);

    /// <summary>§2.2 Sample IPv4 Response. SOFTWARE "test vector" is padded with one space.</summary>
    internal static readonly byte[] SampleIPv4Response = Hex.Parse("""
        01 01 00 3c  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
        80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
        00 20 00 08  00 01 a1 47  e1 12 a6 43
        00 08 00 14  2b 91 f5 99  fd 9e 90 c3  8c 74 89 f9  2a f9 ba 53  f0 6b e7 d7
        80 28 00 04  c0 7d 4c 96
        """);

    /// <summary>§2.3 Sample IPv6 Response.</summary>
    internal static readonly byte[] SampleIPv6Response = Hex.Parse("""
        01 01 00 48  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
        80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
        00 20 00 14  00 02 a1 47  01 13 a9 fa  a5 d3 f1 79  bc 25 f4 b5  be d2 b9 d9
        00 08 00 14  a3 82 95 4e  4b e6 7b f1  17 84 c9 7c  82 92 c2 75  bf e3 ed 41
        80 28 00 04  c8 fb 0b 4c
        """);

    public static TheoryData<string> AllVectors => ["request", "ipv4", "ipv6"];

    private static byte[] Vector(string name) => name switch
    {
        "request" => SampleRequest,
        "ipv4" => SampleIPv4Response,
        "ipv6" => SampleIPv6Response,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Vector_parses_with_valid_integrity_and_fingerprint(string name)
    {
        Assert.True(StunMessage.TryParse(Vector(name), out var message));
        Assert.Equal(VectorTransactionId, message.TransactionId);
        Assert.True(message.HasMessageIntegrity);
        Assert.True(message.HasFingerprint);
        Assert.True(message.VerifyMessageIntegrity(Password));
        Assert.True(message.VerifyFingerprint());
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Any_changed_byte_before_the_integrity_breaks_it(string name)
    {
        var vector = Vector(name);
        int integrityOffset = Wire.FindAttribute(vector, StunAttributeType.MessageIntegrity);
        // From the transaction id on: changing the type, length or cookie makes the message unparseable rather than forged.
        for (int index = 8; index < integrityOffset; index++)
        {
            var tampered = (byte[])vector.Clone();
            tampered[index] ^= 0x01;
            if (StunMessage.TryParse(tampered, out var message))
            {
                Assert.False(message.VerifyMessageIntegrity(Password), $"byte {index} changed but the integrity still verifies");
                Assert.False(message.VerifyFingerprint(), $"byte {index} changed but the fingerprint still verifies");
            }
        }
    }

    [Fact]
    public void Vector_does_not_verify_under_another_password()
    {
        Assert.True(StunMessage.TryParse(SampleRequest, out var message));
        Assert.False(message.VerifyMessageIntegrity(Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBu")));
        Assert.False(message.VerifyMessageIntegrity([]));
    }

    [Fact]
    public void Sample_request_carries_its_attributes()
    {
        Assert.True(StunMessage.TryParse(SampleRequest, out var message));
        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.True(message.TryGetString(StunAttributeType.Username, 513, out string username));
        Assert.Equal("evtj:h6vY", username);
        Assert.True(message.TryGetString(StunAttributeType.Software, 763, out string software));
        Assert.Equal("STUN test client", software);
        Assert.True(message.TryGetUInt32(StunAttributeType.Priority, out uint priority));
        Assert.Equal(0x6e0001ffu, priority);
    }

    [Fact]
    public void Sample_request_reads_as_a_connectivity_check()
    {
        Assert.True(ConnectivityCheck.TryRead(SampleRequest, Password, out var check));
        Assert.Equal(new ConnectivityCheck(VectorTransactionId, "evtj:h6vY", Controlling: false, 0x932ff9b151263b36, UseCandidate: false), check);
        Assert.False(ConnectivityCheck.TryRead(SampleRequest, Encoding.UTF8.GetBytes("wrong"), out _));
        Assert.False(BindingRequest.TryRead(SampleRequest, out _), "a request with USERNAME is a check, not a plain binding request");
    }

    [Theory]
    [InlineData("ipv4", "192.0.2.1", 32853)]
    [InlineData("ipv6", "2001:db8:1234:5678:11:2233:4455:6677", 32853)]
    public void Sample_response_gives_the_mapped_address(string name, string address, int port)
    {
        var expected = new IPEndPoint(IPAddress.Parse(address), port);
        var vector = Vector(name);

        Assert.True(StunMessage.TryParse(vector, out var message));
        Assert.Equal(StunMessageType.BindingSuccess, message.Type);
        Assert.True(message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped));
        Assert.Equal(expected, mapped);
        Assert.True(message.TryGetString(StunAttributeType.Software, 763, out string software));
        Assert.Equal("test vector", software);

        Assert.True(BindingResponse.TryRead(vector, out var response));
        Assert.Equal(new BindingResponse(VectorTransactionId, expected), response);
        Assert.True(ConnectivityCheck.TryReadResponse(vector, Password, out var checkResponse));
        Assert.Equal(response, checkResponse);
    }

    [Fact]
    public void Writer_rebuilds_the_IPv4_response_byte_for_byte()
    {
        var rebuilt = Wire.Write(destination =>
        {
            var writer = new StunWriter(destination, StunMessageType.BindingSuccess, VectorTransactionId);
            writer.AddString(StunAttributeType.Software, "test vector");
            // The RFC pads SOFTWARE with a space where the writer pads with zero; padding is covered by
            // the integrity and fingerprint, so put the RFC's byte back before they are computed.
            destination[StunConstants.HeaderLength + 4 + "test vector".Length] = (byte)' ';
            writer.AddXorAddress(StunAttributeType.XorMappedAddress, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853));
            writer.AddMessageIntegrity(Password);
            writer.AddFingerprint();
            return writer.Length;
        });

        Assert.Equal(Hex.Format(SampleIPv4Response), Hex.Format(rebuilt));
    }

    [Fact]
    public void Writer_rebuilds_the_IPv6_mapped_address_attribute()
    {
        var value = new byte[StunAddress.IPv6ValueLength];
        StunAddress.WriteXor(value, new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), VectorTransactionId);
        Assert.Equal(Hex.Normalize("00 02 a1 47  01 13 a9 fa  a5 d3 f1 79  bc 25 f4 b5  be d2 b9 d9"), Hex.Format(value));
    }
}
