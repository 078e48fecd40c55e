using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Protocol;

/// <summary>Every reader must answer any datagram with true or false, never an exception.</summary>
public sealed class HostileInputTests
{
    private const int InputsPerGenerator = 20_000;

    public static TheoryData<string> Generators => ["random bytes", "random STUN-shaped", "mutated valid messages"];

    public static TheoryData<string> Messages => MessageCatalog.Names();

    [Theory]
    [MemberData(nameof(Generators))]
    public void No_reader_throws(string generator)
    {
        var readers = AllReaders();
        var inputs = generator switch
        {
            "random bytes" => HostileInputs.RandomBytes(seed: 1, InputsPerGenerator),
            "random STUN-shaped" => HostileInputs.RandomStunShaped(seed: 2, InputsPerGenerator),
            "mutated valid messages" => HostileInputs.Mutations(seed: 3, InputsPerGenerator, [.. MessageCatalog.All.Select(c => c.Datagram), .. Rfc5769Vectors()]),
            _ => throw new ArgumentOutOfRangeException(nameof(generator)),
        };

        foreach (var datagram in inputs)
        {
            foreach (var (name, read) in readers)
            {
                try
                {
                    read(datagram);
                }
                catch (Exception exception)
                {
                    Assert.Fail($"{name} threw {exception.GetType().Name} on {Hex.Format(datagram)}: {exception.Message}");
                }
            }
        }
    }

    [Fact]
    public void Stun_shaped_inputs_reach_the_attribute_readers()
    {
        // Guards the generator: if nothing parsed, the no-throw test above would only be exercising the header check.
        int parsed = HostileInputs.RandomStunShaped(seed: 2, InputsPerGenerator).Count(d => StunMessage.TryParse(d, out _));
        Assert.InRange(parsed, InputsPerGenerator / 10, InputsPerGenerator);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Truncated_message_is_rejected(string name)
    {
        var wireCase = MessageCatalog.Get(name);
        for (int length = 0; length < wireCase.Datagram.Length; length++)
        {
            Assert.False(wireCase.Reads(wireCase.Datagram[..length]), $"{name} cut to {length} of {wireCase.Datagram.Length} bytes was accepted");
        }
    }

    private static IEnumerable<byte[]> Rfc5769Vectors() =>
        [Stun.Rfc5769VectorTests.SampleRequest, Stun.Rfc5769VectorTests.SampleIPv4Response, Stun.Rfc5769VectorTests.SampleIPv6Response];

    private static List<(string Name, Action<byte[]> Read)> AllReaders()
    {
        var readers = MessageCatalog.All.Select(c => (c.Name, (Action<byte[]>)(d => c.Reads(d)))).ToList();
        readers.Add(("StunMessage and its attribute getters", d => ReadEverything(d)));
        readers.Add(("PeerFrame.LooksLikePeerFrame", d => PeerFrame.LooksLikePeerFrame(d)));
        var session = ControlledSession();
        var from = new IPEndPoint(IPAddress.Parse("198.18.0.1"), 1000);
        readers.Add(("PunchSession.OnDatagram", d => session.OnDatagram(from, d, out _)));
        return readers;
    }

    private static bool ReadEverything(byte[] datagram)
    {
        if (!StunMessage.TryParse(datagram, out var message))
        {
            return false;
        }

        foreach (var attribute in message.Attributes)
        {
            message.TryGetString(attribute.Type, 1024, out _);
            message.TryGetUInt32(attribute.Type, out _);
            message.TryGetXorAddress(attribute.Type, out _);
            StunAddress.TryReadPlain(attribute.Value, out _);
        }

        message.TryGetErrorCode(out _, out _);
        message.VerifyMessageIntegrity(MessageCatalog.ReceiverPasswordKey);
        message.VerifyMessageIntegritySha256(MessageCatalog.Signature.Key.Span);
        MessageAuthentication.Verify(datagram, MessageCatalog.Signature.Key.Span, out _);
        MessageAuthentication.TryGetClaimedIdentity(datagram, out _);
        message.VerifyFingerprint();
        return true;
    }

    private static PunchSession ControlledSession() => new(
        new PunchSetup(MessageCatalog.Session, Controlling: false, new IceCredentials("bob", "rpass"), new IceCredentials("alice", "lpass"),
            [new Candidate(CandidateKind.Host, new IPEndPoint(IPAddress.Parse("198.18.0.1"), 1000))]),
        new PunchOptions(),
        new FakeTimeProvider());
}
