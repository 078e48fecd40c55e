using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Expose;
using Punch.Core.Peering;
using Punch.Core.Protocol;

namespace Punch.Core.Tests.Support;

/// <summary>
/// Every wire message, written with fixed inputs, with the bytes worked out from RFC 8489 and the
/// Punch attribute definitions (MESSAGE-INTEGRITY and FINGERPRINT checked against an independent
/// HMAC-SHA1/CRC-32). Transaction id 0102..0c throughout, so XOR masks are easy to follow:
/// 198.51.100.7:3478 XOR-encodes as <c>0001 2c84 e721c045</c>, [2001:db8::5]:5000 as
/// <c>0002 329a 0113a9fa 01020304 05060708 090a0b09</c>.
/// </summary>
internal static class MessageCatalog
{
    public static readonly IPEndPoint PublicV4 = new(IPAddress.Parse("198.51.100.7"), 3478);
    public static readonly IPEndPoint HostV6 = new(IPAddress.Parse("2001:db8::5"), 5000);
    public static readonly PeerIdentity Alice = new("home", "alice");
    public static readonly SessionId Session = new(0x0011223344556677);
    public static readonly byte[] ReceiverPasswordKey = ConnectivityCheck.PasswordKey("rpass");
    /// <summary>A keyed network's signing key (00 01 .. 1f) and a fixed signing time (2026-11-25 12:00:00 UTC, 0x000001a21293b600 ms).</summary>
    public static readonly MessageSignature Signature = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private const string Header = "2112a442 0102030405060708090a0b0c";
    private const string XorPublicV4 = "0001 2c84 e721c045";
    private const string XorHostV6 = "0002 329a 0113a9fa 01020304 05060708 090a0b09";
    private const string AliceAtHome = "7d01 0005 616c696365 000000  7d02 0004 686f6d65";
    /// <summary>An expose attach token, 00 11 .. ff.</summary>
    private static readonly UInt128 Token = new(0x0011223344556677, 0x8899aabbccddeeff);
    private const string ExposeConnection = "7d42 0008 0011223344556677";
    private const string ExposeToken = "7d43 0010 00112233445566778899aabbccddeeff";
    /// <summary>An expose service secret, the same 16 bytes as the token.</summary>
    private const string ExposeSecret = "7d46 0010 00112233445566778899aabbccddeeff";
    private const string SessionAttribute = "7d05 0008 0011223344556677";
    /// <summary>An address cookie issued at 0x6929a0c0 (2025-11-28 13:12:32 UTC) with the tag 00 11 .. ff.</summary>
    private static readonly AddressCookie Cookie = new(0x6929a0c0, Token);
    private const string CookieAttribute = "7d30 0014 6929a0c0 00112233445566778899aabbccddeeff";

    public static IReadOnlyList<WireCase> All { get; } = Build();

    public static WireCase Get(string name) => All.Single(c => c.Name == name);

    /// <summary>A reader that also requires a valid MESSAGE-INTEGRITY-SHA256 under <see cref="Signature"/>'s key.</summary>
    private static TryReader<T> SignedBy<T>(TryReader<T> read) => (ReadOnlySpan<byte> d, out T r) =>
    {
        r = default!;
        return MessageAuthentication.Verify(d, Signature.Key.Span, out _) == SignatureCheck.Valid && read(d, out r);
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var wireCase in All)
        {
            data.Add(wireCase.Name);
        }

        return data;
    }

    private static List<WireCase> Build()
    {
        var tid = Wire.FixedTransactionId;

        var bindingRequest = new BindingRequest(tid);
        var bindingResponse = new BindingResponse(tid, PublicV4);
        var check = new ConnectivityCheck(tid, "bob:alice", Controlling: true, TieBreaker: 0x1122334455667788, UseCandidate: true);
        var register = new RegisterRequest(tid, Alice, [PublicV4, HostV6]);
        var refresh = new RefreshRequest(tid, Alice, TimeSpan.FromSeconds(600));
        var refreshWithoutLifetime = new RefreshRequest(tid, Alice, null);
        var registerWithNat = new RegisterRequest(tid, Alice, [PublicV4], NatMapping.EndpointIndependent,
            new NatReport(NatBehaviour.AddressAndPortDependent, Hairpinning: false, PortPreserved: true));
        var refreshWithNat = new RefreshRequest(tid, Alice, null, NatMapping.EndpointDependent, new NatReport(NatBehaviour.EndpointIndependent, Hairpinning: true));
        var registration = new RegistrationResponse(PunchMethod.Register, tid, PublicV4, TimeSpan.FromSeconds(300));
        var registrationWithPorts = registration with { ProbePort = 3479, ExposeControlPort = 7000 };
        var registrationWithOtherFamily = registration with { OtherFamilyEndPoint = HostV6 };
        var registerWithReflexive = new RegisterRequest(tid, Alice, [PublicV4], OtherFamilyReflexive: HostV6);
        var connect = new ConnectRequest(tid, Alice, "bob");
        var connectResponse = new ConnectResponse(tid, Session, ConnectStatus.Introducing);
        var introduction = new Introduction(tid, Session, "bob", Controlling: true, new IceCredentials("lufr", "lpass"), new IceCredentials("rufr", "rpass"),
            [new Candidate(CandidateKind.ServerReflexive, PublicV4), new Candidate(CandidateKind.Host, HostV6)]);
        var introductionWithNat = introduction with { Candidates = [], RemoteMapping = NatMapping.EndpointDependent, RemoteFiltering = NatBehaviour.AddressDependent };
        var introductionAck = new IntroductionAck(tid, Session);
        var report = new ReportRequest(tid, Alice, Session, SessionOutcome.PathUp, PathKind.Direct, PublicV4,
            TimeSpan.FromMilliseconds(1234), TimeSpan.FromMicroseconds(5678), ChecksSent: 7, ChecksReceived: 5, Reason: "ok");
        var minimalReport = new ReportRequest(tid, Alice, Session, SessionOutcome.Failed);
        var success = new SuccessResponse(PunchMethod.Report, tid);
        var error = new ErrorResponse(PunchMethod.Connect, tid, PunchErrorCode.NotRegistered, "not registered");
        var goodbye = new GoodbyeIndication(tid, "server is shutting down");
        var bareGoodbye = new GoodbyeIndication(tid, null);
        var frame = new PeerFrame(0x4123, PeerFrameType.Message, 0x01020304, 0x1112131415161718, "hi");
        var senderPasswordKey = ConnectivityCheck.PasswordKey("lpass");
        var relayActivate = new RelayActivateRequest(tid, Session, "lufr");
        var relayActivateWithCookie = relayActivate with { Cookie = Cookie };
        var registerWithCookie = new RegisterRequest(tid, Alice, [], Cookie: Cookie);
        var challenge = new AddressChallenge(PunchMethod.Register, tid, Cookie, "update punch");
        var relayActivated = new RelayActivateResponse(tid, Session, 0x4123, PublicV4, TimeSpan.FromSeconds(60));
        var relayClosed = new RelayClosedIndication(tid, Session, "idle");
        var bareRelayClosed = new RelayClosedIndication(tid, Session, null);
        var exposeRegister = new ExposeRegisterRequest(tid, Alice, 18080, "127.0.0.1:8080");
        var exposeReregister = exposeRegister with { ServiceSecret = Token };
        var exposeRegistered = new ExposeRegisterResponse(tid, 18080, TimeSpan.FromSeconds(10), Token);
        var exposeOpen = new ExposeOpenIndication(tid, 0x0011223344556677, Token, PublicV4);
        var exposeAttach = new ExposeAttachIndication(tid, 0x0011223344556677, Token);
        var exposeOpenFailed = new ExposeOpenFailedIndication(tid, 0x0011223344556677, "refused");
        var exposeKeepalive = new ExposeKeepaliveIndication(tid);

        return
        [
            WireCase.Of("BindingRequest", bindingRequest, bindingRequest.WriteTo, BindingRequest.TryRead,
                $"0001 0008 {Header}  8028 0004 5b20f9cc"),
            WireCase.Of("BindingResponse", bindingResponse, d => bindingResponse.WriteTo(d), BindingResponse.TryRead,
                $"0101 0014 {Header}  0020 0008 {XorPublicV4}  8028 0004 85902094"),
            WireCase.Of("BindingResponse signed", bindingResponse, d => bindingResponse.WriteTo(d, ReceiverPasswordKey),
                (ReadOnlySpan<byte> d, out BindingResponse r) => ConnectivityCheck.TryReadResponse(d, ReceiverPasswordKey, out r),
                $"0101 002c {Header}  0020 0008 {XorPublicV4}  0008 0014 cbb83c7e14ce702510305d3eda0a2a30bcdebe10  8028 0004 00419871"),
            WireCase.Of("ConnectivityCheck", check, d => check.WriteTo(d, ReceiverPasswordKey),
                (ReadOnlySpan<byte> d, out ConnectivityCheck c) => ConnectivityCheck.TryRead(d, ReceiverPasswordKey, out c),
                $"0001 0040 {Header}  0006 0009 626f623a616c696365 000000  802a 0008 1122334455667788  0025 0000"
                + "  0008 0014 5452247306771ec80044a82b4a90aa2ceb35c2e1  8028 0004 f7f5ce3e"),
            WireCase.Of("RegisterRequest", register, register.WriteTo, RegisterRequest.TryRead,
                $"3401 0048 {Header}  {AliceAtHome}  7d04 000c 01000000 {XorPublicV4}  7d04 0018 01000000 {XorHostV6}  8028 0004 96200ed9",
                (expected, actual) =>
                {
                    Assert.Equal<IPEndPoint>(expected.HostCandidates, actual.HostCandidates);
                    Assert.Equal<IPEndPoint>(expected.Mapped, actual.Mapped);
                    Assert.Equal(expected with { HostCandidates = default, MappedCandidates = default }, actual with { HostCandidates = default, MappedCandidates = default });
                }),
            WireCase.Of("RefreshRequest", refresh, refresh.WriteTo, RefreshRequest.TryRead,
                $"3402 0024 {Header}  {AliceAtHome}  000d 0004 00000258  8028 0004 6dc1ea9d"),
            WireCase.Of("RefreshRequest without lifetime", refreshWithoutLifetime, refreshWithoutLifetime.WriteTo, RefreshRequest.TryRead,
                $"3402 001c {Header}  {AliceAtHome}  8028 0004 a2b9e120"),
            // NAT-MAPPING 7d13 = 1 (endpoint-independent), NAT-FILTERING 7d16 = 3 (address-and-port-dependent), HAIRPINNING 7d17 = 0, PORT-PRESERVATION 7d18 = 1.
            WireCase.Of("RegisterRequest with NAT report", registerWithNat, registerWithNat.WriteTo, RegisterRequest.TryRead,
                $"3401 004c {Header}  {AliceAtHome}  7d04 000c 01000000 {XorPublicV4}  7d13 0001 01 000000  7d16 0001 03 000000"
                + "  7d17 0001 00 000000  7d18 0001 01 000000  8028 0004 654128f4",
                (expected, actual) =>
                {
                    Assert.Equal<IPEndPoint>(expected.HostCandidates, actual.HostCandidates);
                    Assert.Equal<IPEndPoint>(expected.Mapped, actual.Mapped);
                    Assert.Equal(expected with { HostCandidates = default, MappedCandidates = default }, actual with { HostCandidates = default, MappedCandidates = default });
                }),
            // Port preservation unknown: absent.
            WireCase.Of("RefreshRequest with NAT report", refreshWithNat, refreshWithNat.WriteTo, RefreshRequest.TryRead,
                $"3402 0034 {Header}  {AliceAtHome}  7d13 0001 02 000000  7d16 0001 01 000000  7d17 0001 01 000000  8028 0004 80c1eedc"),
            WireCase.Of("RegistrationResponse", registration, registration.WriteTo, RegistrationResponse.TryRead,
                $"3501 001c {Header}  0020 0008 {XorPublicV4}  000d 0004 0000012c  8028 0004 e6dcbf64"),
            // PROBE-PORT 7d14 = 3479, EXPOSE-CONTROL-PORT 7d19 = 7000 (CRC from Python zlib).
            WireCase.Of("RegistrationResponse with ports", registrationWithPorts, registrationWithPorts.WriteTo, RegistrationResponse.TryRead,
                $"3501 002c {Header}  0020 0008 {XorPublicV4}  000d 0004 0000012c  7d14 0004 00000d97  7d19 0004 00001b58  8028 0004 19f790fb"),
            // OTHER-FAMILY-SERVER 7d1a: the server's IPv6 endpoint for a peer that registered over IPv4 (XOR-encoded like XOR-MAPPED-ADDRESS).
            WireCase.Of("RegistrationResponse with other family", registrationWithOtherFamily, registrationWithOtherFamily.WriteTo, RegistrationResponse.TryRead,
                $"3501 0034 {Header}  0020 0008 {XorPublicV4}  000d 0004 0000012c  7d1a 0014 {XorHostV6}  8028 0004 8747e5a7"),
            // The IPv6 server-reflexive candidate (kind 02) goes before the host ones.
            WireCase.Of("RegisterRequest with other-family reflexive", registerWithReflexive, registerWithReflexive.WriteTo, RegisterRequest.TryRead,
                $"3401 0048 {Header}  {AliceAtHome}  7d04 0018 02000000 {XorHostV6}  7d04 000c 01000000 {XorPublicV4}  8028 0004 65158359",
                (expected, actual) =>
                {
                    Assert.Equal<IPEndPoint>(expected.HostCandidates, actual.HostCandidates);
                    Assert.Equal(expected.OtherFamilyReflexive, actual.OtherFamilyReflexive);
                    Assert.Equal(expected with { HostCandidates = default, MappedCandidates = default }, actual with { HostCandidates = default, MappedCandidates = default });
                }),
            WireCase.Of("ConnectRequest", connect, connect.WriteTo, ConnectRequest.TryRead,
                $"3403 0024 {Header}  {AliceAtHome}  7d03 0003 626f62 00  8028 0004 031bc300"),
            // HMAC-SHA256 over the header (length 0x004c: through MESSAGE-INTEGRITY-SHA256) and the attributes before it, computed independently (Python hmac).
            WireCase.Of("ConnectRequest signed", connect, d => connect.WriteTo(d, Signature),
                SignedBy<ConnectRequest>(ConnectRequest.TryRead),
                $"3403 0054 {Header}  {AliceAtHome}  7d03 0003 626f62 00  7d15 0008 000001a21293b600"
                + "  001c 0020 73e790416eaeea38d0a20eeaef5b06f03b6d590602e79b3d2f8d688f6b99b9a0  8028 0004 4214e336"),
            WireCase.Of("ConnectResponse", connectResponse, connectResponse.WriteTo, ConnectResponse.TryRead,
                $"3503 001c {Header}  {SessionAttribute}  7d11 0001 02 000000  8028 0004 74d9b75b"),
            WireCase.Of("Introduction", introduction, introduction.WriteTo, Introduction.TryRead,
                $"3404 0078 {Header}  {SessionAttribute}  7d01 0003 626f62 00  7d0a 0001 01 000000"
                + "  7d06 0004 6c756672  7d07 0005 6c70617373 000000  7d08 0004 72756672  7d09 0005 7270617373 000000"
                + $"  7d04 000c 02000000 {XorPublicV4}  7d04 0018 01000000 {XorHostV6}  8028 0004 de3149ff",
                (expected, actual) =>
                {
                    Assert.Equal<Candidate>(expected.Candidates, actual.Candidates);
                    Assert.Equal(expected with { Candidates = default }, actual with { Candidates = default });
                }),
            WireCase.Of("Introduction with remote NAT", introductionWithNat, introductionWithNat.WriteTo, Introduction.TryRead,
                $"3404 005c {Header}  {SessionAttribute}  7d01 0003 626f62 00  7d0a 0001 01 000000"
                + "  7d06 0004 6c756672  7d07 0005 6c70617373 000000  7d08 0004 72756672  7d09 0005 7270617373 000000"
                + "  7d13 0001 02 000000  7d16 0001 02 000000  8028 0004 a7208a22",
                (expected, actual) =>
                {
                    Assert.Empty(actual.Candidates);
                    Assert.Equal(expected with { Candidates = default }, actual with { Candidates = default });
                }),
            WireCase.Of("IntroductionAck", introductionAck, introductionAck.WriteTo, IntroductionAck.TryRead,
                $"3504 0014 {Header}  {SessionAttribute}  8028 0004 683874ad"),
            WireCase.Of("ReportRequest", report, report.WriteTo, ReportRequest.TryRead,
                $"3405 0068 {Header}  {AliceAtHome}  {SessionAttribute}  7d0b 0001 01 000000  7d12 0001 01 000000  7d0c 0008 {XorPublicV4}"
                + "  7d0d 0004 000004d2  7d0e 0004 0000162e  7d0f 0008 00000007 00000005  7d10 0002 6f6b 0000  8028 0004 965c5cf7"),
            WireCase.Of("ReportRequest minimal", minimalReport, minimalReport.WriteTo, ReportRequest.TryRead,
                $"3405 003c {Header}  {AliceAtHome}  {SessionAttribute}  7d0b 0001 02 000000  7d0f 0008 00000000 00000000  8028 0004 da049ea7"),
            WireCase.Of("SuccessResponse", success, success.WriteTo, SuccessResponse.TryRead,
                $"3505 0008 {Header}  8028 0004 63f8df1f"),
            WireCase.Of("ErrorResponse", error, error.WriteTo, ErrorResponse.TryRead,
                $"3513 0020 {Header}  0009 0012 0000 04 04 6e6f742072656769737465726564 0000  8028 0004 c0e4cc73"),
            WireCase.Of("GoodbyeIndication", goodbye, goodbye.WriteTo, GoodbyeIndication.TryRead,
                $"3416 0024 {Header}  7d10 0017 736572766572206973207368757474696e6720646f776e 00  8028 0004 915596d6"),
            WireCase.Of("GoodbyeIndication without reason", bareGoodbye, bareGoodbye.WriteTo, GoodbyeIndication.TryRead,
                $"3416 0008 {Header}  8028 0004 b68b59fa"),
            // MESSAGE-INTEGRITY: HMAC-SHA1 under the sender's session password "lpass" over the header (length 0x0034) and the attributes before it, computed independently (Python hmac).
            WireCase.Of("RelayActivateRequest", relayActivate, d => relayActivate.WriteTo(d, senderPasswordKey),
                (ReadOnlySpan<byte> d, out RelayActivateRequest r) =>
                {
                    r = default;
                    return RelayActivateRequest.Verify(d, senderPasswordKey) && RelayActivateRequest.TryRead(d, out r);
                },
                $"3407 0034 {Header}  {SessionAttribute}  0006 0004 6c756672  0008 0014 887c2a205857d53e18d23aa93f57717b7eb07c38  8028 0004 041b2734"),
            WireCase.Of("RelayActivateRequest with cookie", relayActivateWithCookie, d => relayActivateWithCookie.WriteTo(d, senderPasswordKey),
                (ReadOnlySpan<byte> d, out RelayActivateRequest r) =>
                {
                    r = default;
                    return RelayActivateRequest.Verify(d, senderPasswordKey) && RelayActivateRequest.TryRead(d, out r);
                },
                $"3407 004c {Header}  {SessionAttribute}  0006 0004 6c756672  {CookieAttribute}  0008 0014 887d8bed8a00239a700184ecf689ce59ac43d426  8028 0004 87493e7e"),
            WireCase.Of("RegisterRequest with cookie", registerWithCookie, registerWithCookie.WriteTo, RegisterRequest.TryRead,
                $"3401 0034 {Header}  {AliceAtHome}  {CookieAttribute}  8028 0004 bc4ef8d8",
                (expected, actual) =>
                {
                    Assert.Empty(actual.HostCandidates);
                    Assert.Equal<IPEndPoint>(expected.Mapped, actual.Mapped);
                    Assert.Equal(expected with { HostCandidates = default, MappedCandidates = default }, actual with { HostCandidates = default, MappedCandidates = default });
                }),
            // ERROR-CODE 438 (class 4, number 38), RFC 8489 §14.8.
            WireCase.Of("AddressChallenge", challenge, challenge.WriteTo, AddressChallenge.TryRead,
                $"3511 0034 {Header}  0009 0010 0000 04 26 7570646174652070756e6368  {CookieAttribute}  8028 0004 6f39f678"),
            WireCase.Of("RelayActivateResponse", relayActivated, relayActivated.WriteTo, RelayActivateResponse.TryRead,
                $"3507 0030 {Header}  {SessionAttribute}  7d20 0004 00004123  0020 0008 {XorPublicV4}  000d 0004 0000003c  8028 0004 d30d00f8"),
            WireCase.Of("RelayClosedIndication", relayClosed, relayClosed.WriteTo, RelayClosedIndication.TryRead,
                $"3418 001c {Header}  {SessionAttribute}  7d10 0004 69646c65  8028 0004 1b95e73c"),
            WireCase.Of("RelayClosedIndication without reason", bareRelayClosed, bareRelayClosed.WriteTo, RelayClosedIndication.TryRead,
                $"3418 0014 {Header}  {SessionAttribute}  8028 0004 3b3c19db"),
            // Expose methods 0xD20-0xD24 encode as 0x3440 (request), 0x3540 (success), 0x3451-0x3454 (indications), RFC 8489 §5.
            WireCase.Of("ExposeRegisterRequest", exposeRegister, exposeRegister.WriteTo, ExposeRegisterRequest.TryRead,
                $"3440 0038 {Header}  {AliceAtHome}  7d40 0004 000046a0  7d41 000e 3132372e302e302e313a38303830 0000  8028 0004 49a82f09"),
            // HMAC-SHA256 over the header (length 0x0060: through MESSAGE-INTEGRITY-SHA256) and the attributes before it, computed independently (Python hmac).
            WireCase.Of("ExposeRegisterRequest signed", exposeRegister, d => exposeRegister.WriteTo(d, Signature),
                SignedBy<ExposeRegisterRequest>(ExposeRegisterRequest.TryRead),
                $"3440 0068 {Header}  {AliceAtHome}  7d40 0004 000046a0  7d41 000e 3132372e302e302e313a38303830 0000  7d15 0008 000001a21293b600"
                + "  001c 0020 ee1956392557e6039d76d7b7c326dd61adbef7240fe795d7746ac0ee9a05ef87  8028 0004 45265e3a"),
            // A reconnecting peer shows the secret of its live registration; signed like the first (HMAC and CRC from Python hmac/zlib).
            WireCase.Of("ExposeRegisterRequest with secret signed", exposeReregister, d => exposeReregister.WriteTo(d, Signature),
                SignedBy<ExposeRegisterRequest>(ExposeRegisterRequest.TryRead),
                $"3440 007c {Header}  {AliceAtHome}  7d40 0004 000046a0  7d41 000e 3132372e302e302e313a38303830 0000  {ExposeSecret}  7d15 0008 000001a21293b600"
                + "  001c 0020 d9dd86ac1ad8e7ce98f2567748d53f19e700425313f008416df05cadc1b95b3c  8028 0004 a925f636"),
            WireCase.Of("ExposeRegisterResponse", exposeRegistered, exposeRegistered.WriteTo, ExposeRegisterResponse.TryRead,
                $"3540 002c {Header}  7d40 0004 000046a0  7d45 0004 0000000a  {ExposeSecret}  8028 0004 b72de974"),
            WireCase.Of("ExposeOpenIndication", exposeOpen, exposeOpen.WriteTo, ExposeOpenIndication.TryRead,
                $"3451 0034 {Header}  {ExposeConnection}  {ExposeToken}  7d44 0008 {XorPublicV4}  8028 0004 0725fe6c"),
            WireCase.Of("ExposeAttachIndication", exposeAttach, exposeAttach.WriteTo, ExposeAttachIndication.TryRead,
                $"3452 0028 {Header}  {ExposeConnection}  {ExposeToken}  8028 0004 87269905"),
            WireCase.Of("ExposeOpenFailedIndication", exposeOpenFailed, exposeOpenFailed.WriteTo, ExposeOpenFailedIndication.TryRead,
                $"3453 0020 {Header}  {ExposeConnection}  7d10 0007 72656675736564 00  8028 0004 6827bed5"),
            WireCase.Of("ExposeKeepaliveIndication", exposeKeepalive, exposeKeepalive.WriteTo, ExposeKeepaliveIndication.TryRead,
                $"3454 0008 {Header}  8028 0004 8f37b323"),
            WireCase.Of("PeerFrame", frame, frame.WriteTo, PeerFrame.TryRead,
                "4123 000f 03 01020304 1112131415161718 6869"),
        ];
    }
}
