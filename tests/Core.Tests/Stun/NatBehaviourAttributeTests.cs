using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Stun;

/// <summary>The RFC 5780 and RFC 3489 attribute readers: known bytes, round trips, and random bytes that never make them throw.</summary>
public sealed class NatBehaviourAttributeTests
{
    private const int RandomInputs = 20_000;
    private static readonly TransactionId Id = TransactionId.Read(Hex.Parse("b7e7a701 bc34d686 fa87dfae"));

    [Theory]
    [InlineData("00000006", true, true)]
    [InlineData("00000004", true, false)]
    [InlineData("00000002", false, true)]
    [InlineData("fffffff9", false, false)] // reserved bits set, A and B clear: ignored (RFC 5780 §7.2)
    public void Change_request_reads_the_a_and_b_flags(string hex, bool changeAddress, bool changePort)
    {
        Assert.True(ChangeRequest.TryRead(Hex.Parse(hex), out var change));
        Assert.Equal(new ChangeRequest(changeAddress, changePort), change);
    }

    [Fact]
    public void Change_request_and_response_port_refuse_wrong_lengths_and_port_zero()
    {
        Assert.False(ChangeRequest.TryRead(Hex.Parse("000006"), out _));
        Assert.False(ResponsePort.TryRead(Hex.Parse("0000 0000"), out _));
        Assert.False(ResponsePort.TryRead(Hex.Parse("1234"), out _));
        Assert.True(ResponsePort.TryRead(Hex.Parse("1234 0000"), out var port));
        Assert.Equal(0x1234, port.Port);
    }

    [Fact]
    public void Behaviour_request_round_trips_with_change_and_response_port()
    {
        var request = new BehaviourRequest(Id, new ChangeRequest(true, false), new ResponsePort(40000));
        var buffer = new byte[128];
        int length = request.WriteTo(buffer);
        Assert.True(BehaviourRequest.TryRead(buffer.AsSpan(0, length), out var read));
        Assert.Equal(request, read);
    }

    [Fact]
    public void Other_family_query_round_trips_and_its_answer_stays_within_three_times_the_request()
    {
        var request = new BehaviourRequest(Id, AsksOtherFamily: true);
        var buffer = new byte[StunConstants.MaxMessageLength];
        int requestLength = request.WriteTo(buffer);
        // Header, the empty comprehension-optional OTHER-FAMILY-QUERY (fd19 0000), FINGERPRINT.
        Assert.Equal("fd190000", Hex.Format(buffer.AsSpan(20, 4)));
        Assert.True(BehaviourRequest.TryRead(buffer.AsSpan(0, requestLength), out var read));
        Assert.Equal(request, read);

        var response = new BehaviourResponse(Id, IPEndPoint.Parse("198.51.100.7:4000"), IPEndPoint.Parse("203.0.113.1:3478"), IPEndPoint.Parse("203.0.113.2:3479"),
            IPEndPoint.Parse("[2001:db8::7]:3478"));
        int length = response.WriteTo(buffer, maxLength: 3 * requestLength);
        Assert.True(length <= 3 * requestLength, $"{length} bytes answer a {requestLength}-byte request");
        Assert.True(BehaviourResponse.TryRead(buffer.AsSpan(0, length), out var answer));
        Assert.Equal(IPEndPoint.Parse("[2001:db8::7]:3478"), answer.OtherFamily);
        Assert.Equal(response.Mapped, answer.Mapped);
    }

    [Fact]
    public void Behaviour_response_round_trips_and_keeps_to_its_budget()
    {
        var response = new BehaviourResponse(Id, IPEndPoint.Parse("198.51.100.7:4000"), IPEndPoint.Parse("203.0.113.1:3478"), IPEndPoint.Parse("203.0.113.2:3479"));
        var buffer = new byte[StunConstants.MaxMessageLength];
        // A bare 20-byte request earns 20 + 44 bytes: XOR-MAPPED-ADDRESS, OTHER-ADDRESS, RESPONSE-ORIGIN and FINGERPRINT fit, nothing else.
        int length = response.WriteTo(buffer, maxLength: 64);
        Assert.Equal(64, length);
        Assert.True(BehaviourResponse.TryRead(buffer.AsSpan(0, length), out var read));
        Assert.Equal(response, read);
        Assert.True(StunMessage.TryParse(buffer.AsSpan(0, length), out var message) && message.VerifyFingerprint());
    }

    [Fact]
    public void Padding_fills_a_response_up_to_the_request_size_but_never_past_the_budget()
    {
        var response = new BehaviourResponse(Id, IPEndPoint.Parse("198.51.100.7:4000"));
        var buffer = new byte[StunConstants.MaxMessageLength];
        Assert.Equal(500, response.WriteTo(buffer, maxLength: 544, padTo: 500));
        Assert.True(response.WriteTo(buffer, maxLength: 300, padTo: 500) <= 300);
    }

    [Fact]
    public void Error_420_lists_the_unknown_attributes()
    {
        var buffer = new byte[256];
        int length = new BindingErrorResponse(Id, 420, "Unknown Attribute", [0x7777, 0x0031]).WriteTo(buffer, 256);
        Assert.True(BindingErrorResponse.TryRead(buffer.AsSpan(0, length), out var read));
        Assert.Equal(420, read.Code);
        Assert.Equal(new ushort[] { 0x7777, 0x0031 }, read.UnknownAttributes);
    }

    [Fact]
    public void Classic_request_round_trips_its_128_bit_id()
    {
        var request = Hex.Parse("0001 0008 0102 0304 0506 0708 090a 0b0c 0d0e 0f10 0003 0004 0000 0006");
        Assert.True(ClassicBindingRequest.TryRead(request, out var classic));
        Assert.Equal(new ChangeRequest(true, true), classic.Change);
        var buffer = new byte[64];
        int length = classic.WriteResponse(buffer, IPEndPoint.Parse("198.51.100.7:4000"), IPEndPoint.Parse("203.0.113.2:3479"), IPEndPoint.Parse("203.0.113.2:3479"));
        Assert.Equal(56, length);
        Assert.Equal(request.AsSpan(4, 16).ToArray(), buffer.AsSpan(4, 16).ToArray());
        Assert.False(ClassicBindingRequest.TryRead(Rfc5769VectorTests.SampleRequest, out _)); // has the magic cookie: not classic
    }

    public static TheoryData<string> Readers => [.. AllReaders().Keys];

    [Theory]
    [MemberData(nameof(Readers))]
    public void Reader_never_throws_on_random_bytes(string reader)
    {
        var read = AllReaders()[reader];
        foreach (var datagram in HostileInputs.RandomBytes(seed: 11, RandomInputs)
            .Concat(HostileInputs.RandomStunShaped(seed: 12, RandomInputs))
            .Concat(RandomClassic(seed: 13, RandomInputs)))
        {
            try
            {
                read(datagram);
            }
            catch (Exception exception)
            {
                Assert.Fail($"{reader} threw {exception.GetType().Name} on {Hex.Format(datagram)}");
            }
        }
    }

    private static Dictionary<string, Action<byte[]>> AllReaders() => new()
    {
        ["CHANGE-REQUEST"] = d => ChangeRequest.TryRead(d.AsSpan(0, Math.Min(d.Length, 4 + (d.Length % 3))), out _),
        ["RESPONSE-PORT"] = d => ResponsePort.TryRead(d.AsSpan(0, Math.Min(d.Length, 4 + (d.Length % 3))), out _),
        ["UNKNOWN-ATTRIBUTES"] = d => UnknownAttributesValue.TryRead(d, out _),
        ["RFC 3489 Binding request"] = d => ClassicBindingRequest.TryRead(d, out _),
        ["behaviour request"] = d => BehaviourRequest.TryRead(d, out _),
        ["behaviour response"] = d => BehaviourResponse.TryRead(d, out _),
        ["Binding error response"] = d => BindingErrorResponse.TryRead(d, out _),
        ["server-side check"] = d =>
        {
            Span<ushort> unknown = stackalloc ushort[UnknownAttributesValue.MaxTypes];
            if (StunMessage.TryParse(d, out var message))
            {
                BehaviourRequest.Check(message, out _, unknown, out _);
            }
        },
    };

    /// <summary>Cookie-less headers with a right length field, so the RFC 3489 attribute walk gets exercised.</summary>
    private static IEnumerable<byte[]> RandomClassic(int seed, int count)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var datagram = new byte[20 + random.Next(64)];
            random.NextBytes(datagram);
            datagram[0] = 0;
            datagram[1] = 1;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)(datagram.Length - 20));
            if (random.Next(2) == 0 && datagram.Length >= 24)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(20), NatBehaviourAttributeType.ChangeRequest);
            }

            yield return datagram;
        }
    }
}
