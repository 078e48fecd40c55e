using System.Net;
using Punch.Core.PortMapping;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.PortMapping;

/// <summary>
/// NAT-PMP (RFC 6886 §3) and PCP (RFC 6887 §7, §11) messages against bytes laid out by hand from the
/// RFCs' figures, and every reader against random and cut bytes: never a throw, and whatever a reader
/// accepts its writer writes back to the same value.
/// </summary>
public sealed class PortMappingWireTests
{
    private static readonly PcpNonce Nonce = new(0x0102030405060708, 0x090a0b0c);

    [Fact]
    public void NatPmp_external_address_request_is_version_zero_opcode_zero()
    {
        var buffer = new byte[2];
        Assert.Equal(2, NatPmp.WriteExternalAddressRequest(buffer));
        Assert.Equal(Hex.Parse("0000"), buffer);
    }

    [Fact]
    public void NatPmp_external_address_response_known_bytes()
    {
        // version 0, opcode 128, result 0, epoch 0x00001234, 203.0.113.9
        var bytes = Hex.Parse("00 80 0000 00001234 cb007109");
        Assert.True(NatPmpExternalAddressResponse.TryRead(bytes, out var response));
        Assert.Equal(new NatPmpExternalAddressResponse(NatPmpResultCode.Success, 0x1234, IPAddress.Parse("203.0.113.9")), response);
        AssertWrites(bytes, response.WriteTo);
    }

    [Fact]
    public void NatPmp_mapping_request_and_response_known_bytes()
    {
        // UDP (opcode 1), reserved, internal 40000 (9c40), suggested 40000, lifetime 7200 (1c20)
        var request = new NatPmpMappingRequest(MappedTransport.Udp, 40000, 40000, 7200);
        var requestBytes = Hex.Parse("00 01 0000 9c40 9c40 00001c20");
        AssertWrites(requestBytes, request.WriteTo);
        Assert.True(NatPmpMappingRequest.TryRead(requestBytes, out var read));
        Assert.Equal(request, read);

        // opcode 129 (128 + UDP), result 0, epoch 0x10, internal 40000, external 50000 (c350), lifetime 3600 (0e10)
        var responseBytes = Hex.Parse("00 81 0000 00000010 9c40 c350 00000e10");
        Assert.True(NatPmpMappingResponse.TryRead(responseBytes, out var response));
        Assert.Equal(new NatPmpMappingResponse(MappedTransport.Udp, NatPmpResultCode.Success, 0x10, 40000, 50000, 3600), response);
        AssertWrites(responseBytes, response.WriteTo);

        // A TCP refusal: opcode 130, result 2 (not authorized).
        Assert.True(NatPmpMappingResponse.TryRead(Hex.Parse("00 82 0002 00000010 0050 0000 00000000"), out var refused));
        Assert.Equal(MappedTransport.Tcp, refused.Transport);
        Assert.Equal(NatPmpResultCode.NotAuthorized, refused.Result);
    }

    [Fact]
    public void Pcp_map_request_and_response_known_bytes()
    {
        // Header: version 2, opcode MAP (1), reserved, lifetime 7200, client ::ffff:198.18.0.5.
        // MAP: nonce, protocol 17, reserved, internal 40000, suggested 0, suggested address ::ffff:0.0.0.0.
        var request = new PcpMapRequest(Nonce, MappedTransport.Udp, IPAddress.Parse("198.18.0.5"), 40000, 7200);
        var requestBytes = Hex.Parse("02 01 0000 00001c20 00000000000000000000ffff c6120005"
            + " 0102030405060708090a0b0c 11 000000 9c40 0000 00000000000000000000ffff 00000000");
        AssertWrites(requestBytes, request.WriteTo);
        Assert.True(PcpMapRequest.TryRead(requestBytes, out var read));
        Assert.Equal(request with { SuggestedExternalAddress = IPAddress.Any }, read);

        // Header: version 2, R + MAP (0x81), reserved, result 0, lifetime 3600, epoch 0x20, 12 reserved bytes.
        // MAP: nonce, 17, reserved, internal 40000, external 50000, ::ffff:203.0.113.9.
        var responseBytes = Hex.Parse("02 81 00 00 00000e10 00000020 000000000000000000000000"
            + " 0102030405060708090a0b0c 11 000000 9c40 c350 00000000000000000000ffff cb007109");
        Assert.True(PcpMapResponse.TryRead(responseBytes, out var response));
        Assert.Equal(new PcpMapResponse(Nonce, MappedTransport.Udp, PcpResultCode.Success, 3600, 0x20, 40000, 50000, IPAddress.Parse("203.0.113.9")), response);
        AssertWrites(responseBytes, response.WriteTo);

        // RFC 6887 §7: options may follow the MAP data (here a 4-byte-aligned unknown one); the reader skips them.
        Assert.True(PcpMapResponse.TryRead([.. responseBytes, .. Hex.Parse("80 00 0004 00000000")], out var withOption));
        Assert.Equal(response, withOption);
    }

    [Fact]
    public void Wrong_versions_opcodes_lengths_and_protocols_are_refused()
    {
        var pcp = Hex.Parse("02 81 00 00 00000e10 00000020 000000000000000000000000"
            + " 0102030405060708090a0b0c 11 000000 9c40 c350 00000000000000000000ffff cb007109");
        Assert.False(PcpMapResponse.TryRead(pcp.AsSpan(0, pcp.Length - 4), out _)); // too short
        Assert.False(PcpMapResponse.TryRead([.. pcp, 0, 0], out _)); // not a multiple of 4
        Assert.False(PcpMapResponse.TryRead(With(pcp, 0, 0x01), out _)); // version 1
        Assert.False(PcpMapResponse.TryRead(With(pcp, 1, 0x01), out _)); // a request, not a response
        Assert.False(PcpMapResponse.TryRead(With(pcp, Pcp.HeaderLength + 12, 1), out _)); // ICMP
        Assert.False(PcpMapRequest.TryRead(pcp, out _));
        Assert.False(PcpMapResponse.TryRead(new byte[Pcp.MaxMessageLength + 4], out _));

        var natPmp = Hex.Parse("00 81 0000 00000010 9c40 c350 00000e10");
        Assert.False(NatPmpMappingResponse.TryRead(natPmp.AsSpan(0, natPmp.Length - 1), out _));
        Assert.False(NatPmpMappingResponse.TryRead(With(natPmp, 0, 2), out _)); // a PCP version
        Assert.False(NatPmpMappingResponse.TryRead(With(natPmp, 1, 0x83), out _)); // no such opcode
        Assert.False(NatPmpMappingResponse.TryRead(With(natPmp, 1, 0x01), out _)); // a request
        Assert.False(NatPmpExternalAddressResponse.TryRead(natPmp, out _));
    }

    [Fact]
    public void Random_and_cut_bytes_never_throw_and_what_is_accepted_writes_back_the_same()
    {
        var random = new Random(14);
        var valid = new[]
        {
            Hex.Parse("00 80 0000 00001234 cb007109"),
            Hex.Parse("00 01 0000 9c40 9c40 00001c20"),
            Hex.Parse("00 81 0000 00000010 9c40 c350 00000e10"),
            Write(new PcpMapRequest(Nonce, MappedTransport.Tcp, IPAddress.Parse("2001:db8::7"), 443, 600, 8443, IPAddress.Parse("2001:db8::1")).WriteTo),
            Write(new PcpMapResponse(Nonce, MappedTransport.Udp, PcpResultCode.NoResources, 30, 1, 40000, 0, IPAddress.IPv6Any).WriteTo),
        };
        var inputs = Enumerable.Range(0, 4000).Select(_ => RandomBytes(random))
            .Concat(valid.SelectMany(v => Enumerable.Range(0, v.Length + 1).Select(n => v[..n])))
            .Concat(valid.SelectMany(v => Enumerable.Range(0, 200).Select(_ => Mutate(v, random))));
        int accepted = 0;
        foreach (var input in inputs)
        {
            accepted += RoundTrips<NatPmpExternalAddressResponse>(input, NatPmpExternalAddressResponse.TryRead, (m, d) => m.WriteTo(d));
            accepted += RoundTrips<NatPmpMappingRequest>(input, NatPmpMappingRequest.TryRead, (m, d) => m.WriteTo(d));
            accepted += RoundTrips<NatPmpMappingResponse>(input, NatPmpMappingResponse.TryRead, (m, d) => m.WriteTo(d));
            accepted += RoundTrips<PcpMapRequest>(input, PcpMapRequest.TryRead, (m, d) => m.WriteTo(d));
            accepted += RoundTrips<PcpMapResponse>(input, PcpMapResponse.TryRead, (m, d) => m.WriteTo(d));
        }

        Assert.True(accepted >= valid.Length, $"{accepted} inputs accepted");
    }

    private delegate bool Reader<T>(ReadOnlySpan<byte> datagram, out T value);

    private static int RoundTrips<T>(byte[] input, Reader<T> read, Func<T, byte[], int> write)
    {
        if (!read(input, out var value))
        {
            return 0;
        }

        var buffer = new byte[Pcp.MaxMessageLength];
        int length = write(value, buffer);
        Assert.True(read(buffer.AsSpan(0, length), out var again), $"{typeof(T).Name} accepted {Convert.ToHexString(input)} but not its rewrite");
        Assert.Equal(value, again);
        return 1;
    }

    private static byte[] RandomBytes(Random random)
    {
        // Lengths around the real ones, so that some random inputs pass the length checks.
        int[] lengths = [0, 1, 2, 11, 12, 15, 16, 24, 59, 60, 64, 100, 1100, 1104];
        var bytes = new byte[lengths[random.Next(lengths.Length)]];
        random.NextBytes(bytes);
        if (bytes.Length >= 2 && random.Next(2) == 0)
        {
            bytes[0] = random.Next(2) == 0 ? NatPmp.Version : Pcp.Version; // valid versions get past the first check
        }

        return bytes;
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var copy = (byte[])valid.Clone();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static byte[] With(byte[] bytes, int index, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }

    private delegate int Writer(Span<byte> destination);

    private static byte[] Write(Writer write)
    {
        var buffer = new byte[Pcp.MaxMessageLength];
        return buffer[..write(buffer)];
    }

    private static void AssertWrites(byte[] expected, Writer write) => Assert.Equal(expected, Write(write));
}
