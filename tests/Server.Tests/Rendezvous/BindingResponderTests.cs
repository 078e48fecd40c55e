using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>Binding per RFC 8489 and RFC 5780 over real loopback sockets, including the refusals and the size budget.</summary>
public sealed class BindingResponderTests(BindingServers servers) : IClassFixture<BindingServers>
{
    private static readonly byte[] ChangeBoth = [0, 0, 0, 6];
    private static readonly byte[] ChangePort = [0, 0, 0, 2];
    private static readonly byte[] ChangeAddress = [0, 0, 0, 4];

    [Fact]
    public async Task A_plain_request_gets_mapped_address_origin_other_address_and_fingerprint_within_the_budget()
    {
        using var client = new UdpTestClient(servers.Rfc5780Primary);
        // 28 bytes with its FINGERPRINT: the 64-byte answer is within 3x (a bare 20-byte header earns at most 60, see below).
        var request = Binding(fingerprint: true);

        var (reply, from) = await SendAsync(client, request);

        Assert.Equal(servers.Rfc5780Primary, from);
        Assert.True(BehaviourResponse.TryRead(reply, out var response));
        Assert.Equal(client.LocalEndPoint, response.Mapped);
        Assert.Equal(servers.Rfc5780Primary, response.ResponseOrigin);
        Assert.Equal(servers.Rfc5780Other, response.OtherAddress);
        Assert.True(StunMessage.TryParse(reply, out var message) && message.VerifyFingerprint());
        Assert.True(reply.Length <= request.Length + ReplyBudget.AmplificationAllowance);
    }

    [Fact]
    public async Task A_bare_header_earns_its_mapped_address_within_three_times_its_size()
    {
        using var client = new UdpTestClient(servers.Rfc5780Primary);
        var request = Binding(fingerprint: false);

        var (reply, _) = await SendAsync(client, request);

        Assert.True(BehaviourResponse.TryRead(reply, out var response));
        Assert.Equal(client.LocalEndPoint, response.Mapped);
        Assert.True(reply.Length <= ReplyBudget.MaxAmplification * request.Length, $"{request.Length} B earned {reply.Length} B");
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Change_request_answers_from_the_other_address_and_or_port(bool changeAddress, bool changePort)
    {
        using var client = new UdpTestClient(servers.Rfc5780Primary);
        var flags = changeAddress ? (changePort ? ChangeBoth : ChangeAddress) : ChangePort;

        var (reply, from) = await SendAsync(client, Binding(attributes: (NatBehaviourAttributeType.ChangeRequest, flags)));

        var expected = new IPEndPoint(changeAddress ? IPAddress.Parse(BindingServers.AlternateAddress) : servers.Rfc5780Primary.Address,
            changePort ? servers.Rfc5780AlternatePort.Port : servers.Rfc5780Primary.Port);
        Assert.Equal(expected, from);
        Assert.True(BehaviourResponse.TryRead(reply, out var response));
        Assert.Equal(expected, response.ResponseOrigin);
    }

    [Fact]
    public async Task The_alternate_address_answers_too_and_names_the_primary_as_other()
    {
        using var client = new UdpTestClient(servers.Rfc5780Other);
        var (reply, from) = await SendAsync(client, Binding());

        Assert.Equal(servers.Rfc5780Other, from);
        Assert.True(BehaviourResponse.TryRead(reply, out var response));
        Assert.Equal(servers.Rfc5780Primary, response.OtherAddress);
    }

    [Fact]
    public async Task Response_port_sends_the_answer_to_another_port_of_the_same_address()
    {
        using var client = new UdpTestClient(servers.Rfc5780Primary);
        using var receiver = new UdpTestClient(servers.Rfc5780Primary);
        byte[] port = [(byte)(receiver.LocalEndPoint.Port >> 8), (byte)receiver.LocalEndPoint.Port, 0, 0];
        client.Send(Binding(attributes: (NatBehaviourAttributeType.ResponsePort, port)));

        var (reply, _) = await receiver.ReceiveFromAsync();
        Assert.True(BehaviourResponse.TryRead(reply, out var response));
        Assert.Equal(client.LocalEndPoint, response.Mapped);
        Assert.True(await client.StaysQuietAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task An_unknown_comprehension_required_attribute_gets_420_listing_it_and_an_optional_one_is_ignored()
    {
        using var client = new UdpTestClient(servers.Rfc5780Primary);
        var (reply, _) = await SendAsync(client, Binding(attributes: [(0x7777, [1, 2, 3, 4]), (0xC0DE, [1, 2, 3, 4]), (0x0031, [])]));

        Assert.True(BindingErrorResponse.TryRead(reply, out var error));
        Assert.Equal(420, error.Code);
        Assert.Equal(new ushort[] { 0x7777, 0x0031 }, error.UnknownAttributes);

        var (fine, _) = await SendAsync(client, Binding(attributes: (0xC0DE, [1, 2, 3, 4])));
        Assert.True(BehaviourResponse.TryRead(fine, out _));
    }

    [Theory]
    [InlineData("short CHANGE-REQUEST")]
    [InlineData("PADDING with RESPONSE-PORT")]
    public async Task A_malformed_request_gets_400(string what)
    {
        using var client = new UdpTestClient(servers.Rfc5780Primary);
        var request = what == "short CHANGE-REQUEST"
            ? Binding(attributes: (NatBehaviourAttributeType.ChangeRequest, [0, 6]))
            : Binding(attributes: [(NatBehaviourAttributeType.Padding, new byte[8]), (NatBehaviourAttributeType.ResponsePort, [0x9c, 0x40, 0, 0])]);

        var (reply, _) = await SendAsync(client, request);

        Assert.True(BindingErrorResponse.TryRead(reply, out var error));
        Assert.Equal(400, error.Code);
        Assert.True(reply.Length <= request.Length + ReplyBudget.AmplificationAllowance);
    }

    [Fact]
    public async Task A_bad_fingerprint_is_dropped()
    {
        using var client = new UdpTestClient(servers.Rfc5780Primary);
        var request = Binding();
        request[^1] ^= 0xFF;
        client.Send(request);
        Assert.True(await client.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Padding_makes_the_answer_as_large_as_the_request_and_no_larger()
    {
        using var client = new UdpTestClient(servers.Rfc5780Primary);
        var request = Binding(attributes: (NatBehaviourAttributeType.Padding, new byte[400]));

        var (reply, _) = await SendAsync(client, request);

        Assert.True(BehaviourResponse.TryRead(reply, out _));
        Assert.InRange(reply.Length, request.Length - 4, request.Length);
    }

    [Fact]
    public async Task Without_an_alternate_address_a_change_of_address_gets_420_and_a_change_of_port_is_served()
    {
        using var client = new UdpTestClient(servers.PortOnlyPrimary);
        var (refused, _) = await SendAsync(client, Binding(attributes: (NatBehaviourAttributeType.ChangeRequest, ChangeBoth)));
        Assert.True(BindingErrorResponse.TryRead(refused, out var error));
        Assert.Equal(420, error.Code);
        Assert.Equal(new ushort[] { NatBehaviourAttributeType.ChangeRequest }, error.UnknownAttributes);

        var (served, from) = await SendAsync(client, Binding(attributes: (NatBehaviourAttributeType.ChangeRequest, ChangePort)));
        Assert.Equal(servers.PortOnlyAlternatePort, from);
        Assert.True(BehaviourResponse.TryRead(served, out _));
    }

    [Fact]
    public async Task An_rfc_3489_client_gets_mapped_source_and_changed_address_with_its_id_copied()
    {
        using var client = new UdpTestClient(servers.Rfc5780Primary);
        var request = new byte[28];
        request[1] = 1;
        request[3] = 8;
        Random.Shared.NextBytes(request.AsSpan(4, 16));
        request[20..24].AsSpan().Clear();
        request[21] = 3; // CHANGE-REQUEST, no flags
        request[23] = 4;
        client.Send(request);

        var (reply, _) = await client.ReceiveFromAsync();
        Assert.Equal(0x01, reply[0]);
        Assert.Equal(0x01, reply[1]);
        Assert.Equal(request[4..20], reply[4..20]);
        Assert.Equal(56, reply.Length);
        Assert.True(StunAddress.TryReadPlain(reply.AsSpan(24, 8), out var mapped));
        Assert.Equal(client.LocalEndPoint, mapped);
    }

    [Fact]
    public void An_alternate_address_needs_a_specific_bind_address()
    {
        var options = new RendezvousOptions { BindAddress = "0.0.0.0", AlternateAddress = "127.0.0.2" };
        var result = new RendezvousOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Rendezvous:BindAddress", result.FailureMessage, StringComparison.Ordinal);

        options.BindAddress = "127.0.0.1";
        options.AlternateAddress = "not an address";
        Assert.Contains("Rendezvous:AlternateAddress", new RendezvousOptionsValidator().Validate(null, options).FailureMessage, StringComparison.Ordinal);
    }

    private static async Task<(byte[] Datagram, IPEndPoint From)> SendAsync(UdpTestClient client, byte[] request)
    {
        var transactionId = TransactionId.Read(request.AsSpan(8, StunConstants.TransactionIdLength));
        client.Send(request);
        for (int i = 0; i < 10; i++)
        {
            var (reply, from) = await client.ReceiveFromAsync();
            if (StunMessage.TryParse(reply, out var message) && message.TransactionId == transactionId)
            {
                return (reply, from);
            }
        }

        throw new TimeoutException("no answer to the request");
    }

    private static byte[] Binding(bool fingerprint = true, params (ushort Type, byte[] Value)[] attributes)
    {
        var buffer = new byte[StunConstants.MaxMessageLength];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, TransactionId.NewRandom());
        foreach (var (type, value) in attributes)
        {
            writer.Add(type, value);
        }

        if (fingerprint)
        {
            writer.AddFingerprint();
        }

        return buffer[..writer.Length];
    }

    private static byte[] Binding((ushort Type, byte[] Value) attribute) => Binding(true, attribute);

    private static byte[] Binding(params (ushort Type, byte[] Value)[] attributes) => Binding(true, attributes);
}
