using Punch.Core.Streams;

namespace Punch.Fuzz;

public static partial class SeedCorpus
{
    /// <summary>The P-256 base point (SEC 2 §2.4.2), uncompressed: a fixed public key that is a valid point, so a Hello seed completes key agreement.</summary>
    private static byte[] FixedPublicKey => Convert.FromHexString(
        "04" + "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296" + "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");

    private static Dictionary<string, byte[]>? StreamMessages(string target) => target switch
    {
        "stream-hello" => new() { ["opener"] = Hello(StreamRole.Opener, usesSecret: false), ["acceptor-with-secret"] = Hello(StreamRole.Acceptor, usesSecret: true) },
        "stream-protected-header" or "stream-acceptor" => new()
        {
            ["hello"] = Hello(StreamRole.Opener, usesSecret: false),
            ["hello-with-secret"] = Hello(StreamRole.Opener, usesSecret: true),
            ["protected"] = Protected(sealedLength: 40),
        },
        "frame-ping" => new() { ["valid"] = Frame(new PingFrame().WriteTo) },
        "frame-stream" => new() { ["data"] = Frame(StreamData(fin: false).WriteTo), ["fin"] = Frame(new StreamFrame(4, 1 << 20, Array.Empty<byte>(), Fin: true).WriteTo) },
        "frame-ack" => new() { ["one-range"] = Frame(Ack(1).WriteTo), ["gaps"] = Frame(Ack(3).WriteTo) },
        "frame-reset-stream" => new() { ["valid"] = Frame(Reset().WriteTo) },
        "frame-stop-sending" => new() { ["valid"] = Frame(new StopSendingFrame(0, StreamErrorCode.Cancelled).WriteTo) },
        "frame-credit" => new()
        {
            ["max-data"] = Frame(CreditFrame.MaxData(1 << 24).WriteTo),
            ["max-stream-data"] = Frame(CreditFrame.MaxStreamData(0, 1 << 20).WriteTo),
            ["max-streams"] = Frame(CreditFrame.MaxStreams(200).WriteTo),
        },
        "frame-close" => new() { ["valid"] = Frame(new CloseFrame(StreamErrorCode.NoError, "bye").WriteTo) },
        "varint" => new()
        {
            ["one-byte"] = Frame(d => VarInt.Write(d, 37)),
            ["two-bytes"] = Frame(d => VarInt.Write(d, 15293)),
            ["four-bytes"] = Frame(d => VarInt.Write(d, 494878333)),
            ["eight-bytes"] = Frame(d => VarInt.Write(d, 151288809941952652)),
        },
        // Plaintext the fuzzer seals as the opener's first protected packet (stream 0 is the opener's first stream).
        "stream-established" => new()
        {
            ["stream-data"] = Frame(StreamData(fin: true).WriteTo),
            ["all-frames"] = Frames(new PingFrame().WriteTo, StreamData(fin: false).WriteTo, CreditFrame.MaxData(1 << 24).WriteTo,
                CreditFrame.MaxStreamData(1, 1 << 20).WriteTo, CreditFrame.MaxStreams(200).WriteTo, new StopSendingFrame(1, StreamErrorCode.Cancelled).WriteTo,
                Reset().WriteTo, Ack(1).WriteTo),
            ["close"] = Frame(new CloseFrame(StreamErrorCode.NoError, "bye").WriteTo),
            ["ping"] = Frame(new PingFrame().WriteTo),
        },
        _ => null,
    };

    private static StreamFrame StreamData(bool fin) => new(0, 0, "GET / HTTP/1.1\r\n\r\n"u8.ToArray(), fin);
    private static ResetStreamFrame Reset() => new(2, StreamErrorCode.Cancelled, 100, "reset by peer");

    /// <summary>An ACK of <paramref name="ranges"/> ranges of two packets each, one missing packet between them.</summary>
    private static AckFrame Ack(int ranges) =>
        new(25_000, [.. Enumerable.Range(0, ranges).Select(i => new ValueRange((ulong)(3 * (ranges - 1 - i)), (ulong)(3 * (ranges - 1 - i) + 2)))]);

    private static byte[] Hello(StreamRole role, bool usesSecret) =>
        Frame(new HelloPacket(FuzzTargets.StreamChannel, role, usesSecret, FixedPublicKey).WriteTo);

    private static byte[] Protected(int sealedLength)
    {
        var datagram = new byte[ProtectedHeader.Length + sealedLength];
        new ProtectedHeader(FuzzTargets.StreamChannel, 1, sealedLength).WriteTo(datagram);
        return datagram;
    }

    private static byte[] Frame(SpanWriter write) => Frames(write);

    private static byte[] Frames(params SpanWriter[] writers)
    {
        var buffer = new byte[StreamPackets.MaxDatagram];
        int length = 0;
        foreach (var write in writers)
        {
            length += write(buffer.AsSpan(length));
        }

        return buffer[..length];
    }
}
