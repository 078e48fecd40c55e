using System.Net;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Stun;

namespace Punch.Fuzz;

/// <summary>Thrown when a target's property fails on an input the parser did not throw on: the fuzzer records it as a crash like any exception.</summary>
public sealed class FuzzPropertyException(string message) : Exception(message);

/// <summary>One parser of untrusted bytes, fed one input. Any exception it lets out is a finding.</summary>
/// <param name="SmokeMutations">Mutations the in-process smoke run gives this target when fewer than the default: a target that
/// makes a key pair per execution is a thousand times slower than a parser, and the test suite's run must stay short.</param>
public sealed record FuzzTarget(string Name, string Describes, Action<byte[]> Run, int? SmokeMutations = null)
{
    /// <summary>The mutations a smoke run of <paramref name="requested"/> per target gives this one.</summary>
    public int SmokeMutationsWithin(int requested) => Math.Min(requested, SmokeMutations ?? requested);
}

/// <summary>
/// A target for every parser of untrusted bytes in Core: the STUN message and its attribute getters,
/// the <c>TryRead</c> of every Punch message (rendezvous, relay, RFC 5780 discovery, expose), the peer
/// data frame, the stream transport's packets and frames, and the datagram entries of the punching and
/// stream state machines (one area per file: RelayTargets, DiscoveryTargets, ExposeTargets, StreamTargets). Message targets also check a round trip: whatever a reader accepts, its writer
/// must be able to write back and the reader must accept again (so a reader never lets through a
/// value the rest of the code cannot handle).
/// </summary>
public static partial class FuzzTargets
{
    // Nothing here may run Core code before SharpFuzz's Fuzzer.Run: instrumented code writes to AFL's
    // coverage map, which does not exist until then (it fails with a NullReferenceException). So the
    // fixed values below are built on use, not in static initializers.

    /// <summary>The password every fuzzed connectivity check is verified with (the seeds are signed with it).</summary>
    public static byte[] CheckPassword => System.Text.Encoding.UTF8.GetBytes("rpass");

    private const int WriteBufferLength = StunConstants.MaxMessageLength * 4;

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("stun-message", "StunMessage.TryParse, every attribute getter, integrity and fingerprint checks, StunAddress", ReadEverything),
        Message<BindingRequest>("binding-request", BindingRequest.TryRead, (m, d) => m.WriteTo(d)),
        Message<BindingResponse>("binding-response", BindingResponse.TryRead, (m, d) => m.WriteTo(d)),
        Message<ConnectivityCheck>("connectivity-check", (ReadOnlySpan<byte> d, out ConnectivityCheck c) => ConnectivityCheck.TryRead(d, CheckPassword, out c),
            (m, d) => m.WriteTo(d, CheckPassword)),
        Message<BindingResponse>("check-response", (ReadOnlySpan<byte> d, out BindingResponse r) => ConnectivityCheck.TryReadResponse(d, CheckPassword, out r),
            (m, d) => m.WriteTo(d, CheckPassword)),
        Message<RegisterRequest>("register", RegisterRequest.TryRead, (m, d) => m.WriteTo(d)),
        Message<RefreshRequest>("refresh", RefreshRequest.TryRead, (m, d) => m.WriteTo(d)),
        Message<RegistrationResponse>("registration-response", RegistrationResponse.TryRead, (m, d) => m.WriteTo(d)),
        Message<ConnectRequest>("connect", ConnectRequest.TryRead, (m, d) => m.WriteTo(d)),
        Message<ConnectResponse>("connect-response", ConnectResponse.TryRead, (m, d) => m.WriteTo(d)),
        Message<Introduction>("introduction", Introduction.TryRead, (m, d) => m.WriteTo(d)),
        Message<IntroductionAck>("introduction-ack", IntroductionAck.TryRead, (m, d) => m.WriteTo(d)),
        Message<ReportRequest>("report", ReportRequest.TryRead, (m, d) => m.WriteTo(d)),
        Message<SuccessResponse>("success-response", SuccessResponse.TryRead, (m, d) => m.WriteTo(d)),
        Message<ErrorResponse>("error-response", ErrorResponse.TryRead, (m, d) => m.WriteTo(d)),
        Message<AddressChallenge>("address-challenge", AddressChallenge.TryRead, (m, d) => m.WriteTo(d)),
        Message<GoodbyeIndication>("goodbye", GoodbyeIndication.TryRead, (m, d) => m.WriteTo(d)),
        Message<PeerFrame>("peer-frame", PeerFrame.TryRead, (m, d) => m.WriteTo(d)),
        new("punch-session", "PunchSession.OnDatagram of a session waiting for checks", FeedSession),
        .. RelayTargets(),
        .. DiscoveryTargets(),
        .. ExposeTargets(),
        .. StreamTargets(),
        .. PortMappingTargets(),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    public delegate bool Reader<T>(ReadOnlySpan<byte> datagram, out T value);

    private static FuzzTarget Message<T>(string name, Reader<T> read, Func<T, byte[], int> write) =>
        new(name, $"{typeof(T).Name} reader, and a write-then-read round trip of anything it accepts", input =>
        {
            if (!read(input, out var message))
            {
                return;
            }

            var buffer = new byte[WriteBufferLength];
            int length = write(message, buffer);
            if (!read(buffer.AsSpan(0, length), out _))
            {
                throw new FuzzPropertyException(
                    $"{typeof(T).Name} accepted {Convert.ToHexString(input)} but not its own rewrite {Convert.ToHexString(buffer, 0, length)}");
            }
        });

    private static void ReadEverything(byte[] input)
    {
        if (!StunMessage.TryParse(input, out var message))
        {
            return;
        }

        foreach (var attribute in message.Attributes)
        {
            message.TryGetString(attribute.Type, 1024, out _);
            message.TryGetUInt32(attribute.Type, out _);
            message.TryGetXorAddress(attribute.Type, out _);
            StunAddress.TryReadPlain(attribute.Value, out _);
        }

        message.TryGetErrorCode(out _, out _);
        message.VerifyMessageIntegrity(CheckPassword);
        message.VerifyFingerprint();
    }

    public static IPEndPoint SessionPeer => new(IPAddress.Parse("198.18.0.1"), 1000);
    public static IceCredentials SessionLocal => new("bob", "rpass");
    public static IceCredentials SessionRemote => new("alice", "lpass");

    /// <summary>
    /// A new session per input, so one input's effect cannot hide another's (the fuzzer needs
    /// executions to be repeatable). The seeds hold checks signed with its credentials, so mutations
    /// reach the state changes behind the integrity check, not only the rejections before it.
    /// </summary>
    private static void FeedSession(byte[] input)
    {
        var peer = SessionPeer;
        var session = new PunchSession(
            new PunchSetup(new SessionId(0x0011223344556677), Controlling: false, SessionLocal, SessionRemote, [new Candidate(CandidateKind.Host, peer)]),
            new PunchOptions(),
            TimeProvider.System,
            new Random(1));
        session.OnDatagram(peer, input, out _);
        session.OnDatagram(1, new IPEndPoint(IPAddress.Parse("203.0.113.9"), 2000), input, out _);
    }
}
