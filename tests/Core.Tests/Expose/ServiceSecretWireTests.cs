using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Expose;

/// <summary>SERVICE-SECRET (0x7D46): exactly 16 bytes; optional in a Register request, required in its success response.</summary>
public sealed class ServiceSecretWireTests
{
    private static readonly StunMessageType Register = new(ExposeMethod.Register, StunClass.Request);
    private static readonly StunMessageType Registered = new(ExposeMethod.Register, StunClass.SuccessResponse);

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(32)]
    public void A_secret_of_the_wrong_length_is_refused_in_both_messages(int length)
    {
        var secret = new byte[length];

        Assert.False(ExposeRegisterRequest.TryRead(Request(b => b.Add(ExposeAttributeType.ServiceSecret, secret)), out _));
        Assert.False(ExposeRegisterResponse.TryRead(Response(b => b.Add(ExposeAttributeType.ServiceSecret, secret)), out _));
    }

    [Fact]
    public void A_request_without_a_secret_is_a_first_registration_and_one_with_it_carries_it()
    {
        var secret = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

        Assert.True(ExposeRegisterRequest.TryRead(Request(_ => { }), out var first));
        Assert.True(ExposeRegisterRequest.TryRead(Request(b => b.Add(ExposeAttributeType.ServiceSecret, secret)), out var again));

        Assert.Null(first.ServiceSecret);
        Assert.Equal(new UInt128(0x0102030405060708, 0x090a0b0c0d0e0f10), again.ServiceSecret);
    }

    [Fact]
    public void A_success_response_without_a_secret_is_refused()
    {
        Assert.False(ExposeRegisterResponse.TryRead(Response(_ => { }), out _));
    }

    private static byte[] Request(Action<Wire.Builder> more) => Wire.Build(Register, b =>
    {
        b.AddString(PunchAttributeType.PeerName, "alice").AddString(PunchAttributeType.Network, "home")
            .Add(ExposeAttributeType.PublicPort, 0, 0, 0x46, 0xa0).AddString(ExposeAttributeType.LocalService, "127.0.0.1:8080");
        more(b);
    });

    private static byte[] Response(Action<Wire.Builder> more) => Wire.Build(Registered, b =>
    {
        b.Add(ExposeAttributeType.PublicPort, 0, 0, 0x46, 0xa0).Add(ExposeAttributeType.KeepaliveSeconds, 0, 0, 0, 10);
        more(b);
    });
}
