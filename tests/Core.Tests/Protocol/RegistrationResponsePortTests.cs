using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Tests.Protocol;

/// <summary>The ports a Register answer announces are hints: a value no port can have reads as absent, and the registration still counts.</summary>
public sealed class RegistrationResponsePortTests
{
    [Theory]
    [InlineData(0u)]
    [InlineData(65536u)]
    [InlineData(uint.MaxValue)]
    public void An_impossible_control_port_reads_as_none(uint value)
    {
        var buffer = new byte[128];
        var writer = new StunWriter(buffer, new StunMessageType(PunchMethod.Register, StunClass.SuccessResponse), TransactionId.NewRandom());
        writer.AddXorAddress(StunAttributeType.XorMappedAddress, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 3478));
        writer.AddUInt32(StunAttributeType.Lifetime, 30);
        writer.AddUInt32(PunchAttributeType.ExposeControlPort, value);
        int length = writer.Finish();

        Assert.True(RegistrationResponse.TryRead(buffer.AsSpan(0, length), out var response));
        Assert.Null(response.ExposeControlPort);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Lifetime);
    }
}
