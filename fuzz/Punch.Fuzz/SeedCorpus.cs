using System.Buffers.Binary;
using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Fuzz;

/// <summary>
/// The starting inputs of each target, written with Core's own writers (so they stay valid as the
/// protocol changes: regenerate with <c>punch-fuzz seed fuzz/corpus</c>), plus a few broken ones
/// that stop just past the checks a fuzzer would otherwise take long to get through.
/// </summary>
public static partial class SeedCorpus
{
    private static readonly TransactionId Tid = TransactionId.Read([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    private static readonly IPEndPoint PublicV4 = new(IPAddress.Parse("198.51.100.7"), 3478);
    private static readonly IPEndPoint HostV6 = new(IPAddress.Parse("2001:db8::5"), 5000);
    private static readonly PeerIdentity Alice = new("home", "alice");
    private static readonly SessionId Session = new(0x0011223344556677);
    /// <summary>An address cookie as a server mints one: issue time and a 16-byte tag.</summary>
    private static readonly AddressCookie Cookie = new(0x6929a0c0, new UInt128(0x0011223344556677, 0x8899aabbccddeeff));

    /// <summary>The seeds of <paramref name="target"/>: its valid messages, broken variants of them, and an empty input.</summary>
    public static IReadOnlyDictionary<string, byte[]> For(string target)
    {
        var valid = ValidMessages(target);
        var seeds = new Dictionary<string, byte[]> { ["empty"] = [] };
        foreach (var (name, datagram) in valid)
        {
            seeds[name] = datagram;
        }

        if (valid.Count > 0)
        {
            var (name, first) = valid.First();
            seeds[$"{name}-truncated"] = first[..(first.Length / 2)];
            seeds[$"{name}-length-too-long"] = WithHeaderLength(first, first.Length);
            seeds[$"{name}-bad-fingerprint"] = WithLastByteFlipped(first);
        }

        return seeds;
    }

    private static Dictionary<string, byte[]> ValidMessages(string target)
    {
        var check = new ConnectivityCheck(Tid, $"{FuzzTargets.SessionLocal.UsernameFragment}:{FuzzTargets.SessionRemote.UsernameFragment}", Controlling: true, 0x1122334455667788, UseCandidate: true);
        var introduction = new Introduction(Tid, Session, "bob", true, new IceCredentials("lufr", "lpass"), new IceCredentials("rufr", "rpass"),
            [new Candidate(CandidateKind.ServerReflexive, PublicV4), new Candidate(CandidateKind.Host, HostV6)], NatMapping.EndpointDependent);
        var report = new ReportRequest(Tid, Alice, Session, SessionOutcome.PathUp, PathKind.Direct, PublicV4,
            TimeSpan.FromMilliseconds(1234), TimeSpan.FromMicroseconds(5678), 7, 5, "ok");
        return target switch
        {
            "stun-message" => new()
            {
                ["binding-request"] = Write(new BindingRequest(Tid).WriteTo),
                ["signed-check"] = Write(d => check.WriteTo(d, FuzzTargets.CheckPassword)),
                ["error"] = Write(new ErrorResponse(PunchMethod.Connect, Tid, PunchErrorCode.NotRegistered, "not registered").WriteTo),
                ["introduction"] = Write(introduction.WriteTo),
            },
            "binding-request" => new() { ["valid"] = Write(new BindingRequest(Tid).WriteTo) },
            "binding-response" => new() { ["valid"] = Write(d => new BindingResponse(Tid, PublicV4).WriteTo(d)), ["ipv6"] = Write(d => new BindingResponse(Tid, HostV6).WriteTo(d)) },
            "connectivity-check" => new() { ["valid"] = Write(d => check.WriteTo(d, FuzzTargets.CheckPassword)) },
            "check-response" => new() { ["valid"] = Write(d => new BindingResponse(Tid, PublicV4).WriteTo(d, FuzzTargets.CheckPassword)) },
            "register" => new()
            {
                ["valid"] = Write(new RegisterRequest(Tid, Alice, [PublicV4, HostV6], NatMapping.EndpointIndependent).WriteTo),
                ["nat-report"] = Write(new RegisterRequest(Tid, Alice, [PublicV4], NatMapping.EndpointDependent,
                    new NatReport(NatBehaviour.AddressAndPortDependent, Hairpinning: true, PortPreserved: false)).WriteTo),
                ["no-candidates"] = Write(new RegisterRequest(Tid, new PeerIdentity(PeerIdentity.DefaultNetwork, "bob"), []).WriteTo),
                ["cookie"] = Write(new RegisterRequest(Tid, Alice, [PublicV4], NatMapping.EndpointIndependent, Cookie: Cookie).WriteTo),
                ["mapped"] = Write(new RegisterRequest(Tid, Alice, [PublicV4], NatMapping.EndpointDependent, MappedCandidates: [new IPEndPoint(IPAddress.Parse("203.0.113.7"), 40001)]).WriteTo),
                ["other-family-reflexive"] = Write(new RegisterRequest(Tid, Alice, [PublicV4], NatMapping.EndpointIndependent, OtherFamilyReflexive: HostV6).WriteTo),
            },
            "refresh" => new()
            {
                ["valid"] = Write(new RefreshRequest(Tid, Alice, TimeSpan.FromSeconds(600), NatMapping.EndpointDependent).WriteTo),
                ["unregister"] = Write(new RefreshRequest(Tid, Alice, TimeSpan.Zero).WriteTo),
                ["nat-report"] = Write(new RefreshRequest(Tid, Alice, TimeSpan.FromSeconds(600), NatMapping.EndpointIndependent,
                    new NatReport(NatBehaviour.AddressDependent, Hairpinning: false, PortPreserved: true)).WriteTo),
            },
            "registration-response" => new()
            {
                ["valid"] = Write(new RegistrationResponse(PunchMethod.Register, Tid, PublicV4, TimeSpan.FromSeconds(30), 3479, 7000).WriteTo),
                ["other-family"] = Write(new RegistrationResponse(PunchMethod.Register, Tid, PublicV4, TimeSpan.FromSeconds(30), 3479, OtherFamilyEndPoint: HostV6).WriteTo),
            },
            "connect" => new() { ["valid"] = Write(new ConnectRequest(Tid, Alice, "bob").WriteTo) },
            "connect-response" => new() { ["valid"] = Write(new ConnectResponse(Tid, Session, ConnectStatus.Introducing).WriteTo) },
            "introduction" => new()
            {
                ["valid"] = Write(introduction.WriteTo),
                ["relay-and-filtering"] = Write((introduction with { RelayChannel = 0x4123, RemoteFiltering = NatBehaviour.EndpointIndependent }).WriteTo),
            },
            "introduction-ack" => new() { ["valid"] = Write(new IntroductionAck(Tid, Session).WriteTo) },
            "report" => new() { ["valid"] = Write(report.WriteTo), ["minimal"] = Write(new ReportRequest(Tid, Alice, Session, SessionOutcome.Failed).WriteTo) },
            "success-response" => new() { ["valid"] = Write(new SuccessResponse(PunchMethod.Report, Tid).WriteTo) },
            "error-response" => new() { ["valid"] = Write(new ErrorResponse(PunchMethod.Register, Tid, PunchErrorCode.NameTaken, "name taken").WriteTo) },
            "address-challenge" => new()
            {
                ["valid"] = Write(new AddressChallenge(PunchMethod.Register, Tid, Cookie, "update punch: address proof needed").WriteTo),
                ["no-reason"] = Write(new AddressChallenge(PunchMethod.RelayActivate, Tid, Cookie, "").WriteTo),
            },
            "goodbye" => new() { ["valid"] = Write(new GoodbyeIndication(Tid, "server is shutting down").WriteTo), ["no-reason"] = Write(new GoodbyeIndication(Tid, null).WriteTo) },
            "peer-frame" => new()
            {
                ["message"] = Write(new PeerFrame(0x4123, PeerFrameType.Message, 7, 1234567, "hello").WriteTo),
                ["ping"] = Write(new PeerFrame(0x4123, PeerFrameType.Ping, 1, 42, "").WriteTo),
            },
            "punch-session" => new()
            {
                ["check"] = Write(d => check.WriteTo(d, FuzzTargets.CheckPassword)),
                ["check-response"] = Write(d => new BindingResponse(Tid, PublicV4).WriteTo(d, ConnectivityCheck.PasswordKey(FuzzTargets.SessionRemote.Password))),
            },
            _ => RelayAndDiscoveryMessages(target) ?? ExposeMessages(target) ?? StreamMessages(target) ?? PortMappingMessages(target)
                ?? throw new ArgumentOutOfRangeException(nameof(target), target, "no such fuzz target"),
        };
    }

    internal delegate int SpanWriter(Span<byte> destination);

    internal static byte[] Write(SpanWriter write)
    {
        var buffer = new byte[StunConstants.MaxMessageLength * 2];
        return buffer[..write(buffer)];
    }

    private static byte[] WithHeaderLength(byte[] datagram, int length)
    {
        var copy = (byte[])datagram.Clone();
        if (copy.Length >= 4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)length);
        }

        return copy;
    }

    private static byte[] WithLastByteFlipped(byte[] datagram)
    {
        var copy = (byte[])datagram.Clone();
        copy[^1] ^= 0x01;
        return copy;
    }
}
