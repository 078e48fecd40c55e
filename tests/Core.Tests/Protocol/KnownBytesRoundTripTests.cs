using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Protocol;

public sealed class KnownBytesRoundTripTests
{
    public static TheoryData<string> Messages => MessageCatalog.Names();

    [Theory]
    [MemberData(nameof(Messages))]
    public void Writes_exactly_the_specified_bytes(string name)
    {
        var wireCase = MessageCatalog.Get(name);
        Assert.Equal(wireCase.ExpectedHex, Hex.Format(wireCase.Datagram));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Reads_back_what_was_written(string name)
    {
        var wireCase = MessageCatalog.Get(name);
        wireCase.AssertReadsBackOriginal(wireCase.Datagram);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Stun_messages_carry_a_valid_fingerprint(string name)
    {
        var datagram = MessageCatalog.Get(name).Datagram;
        if (!StunMessage.LooksLikeStun(datagram))
        {
            Assert.Equal("PeerFrame", name);
            return;
        }

        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.True(message.VerifyFingerprint());
    }
}
