using Punch.Core.Streams;

namespace Punch.Fuzz;

public static partial class FuzzTargets
{
    public const ushort StreamChannel = 0x4123;
    public const ulong StreamSessionId = 0x0011223344556677;

    // Each execution makes ECDH key pairs (the acceptor one, the established one two and two agreements: a hundred
    // to a thousand parser executions' worth), so the test suite's smoke run gives them fewer mutations.
    private const int AcceptorSmokeMutations = 10_000;
    private const int EstablishedSmokeMutations = 2_000;

    private static FuzzTarget[] StreamTargets() =>
    [
        Message<HelloPacket>("stream-hello", HelloPacket.TryRead, (m, d) => m.WriteTo(d)),
        new("stream-protected-header", "ProtectedHeader.TryRead: the sealed length it reports must lie inside the datagram", ReadProtectedHeader),
        Message<PingFrame>("frame-ping", PingFrame.TryRead, (m, d) => m.WriteTo(d)),
        Message<StreamFrame>("frame-stream", StreamFrame.TryRead, (m, d) => m.WriteTo(d)),
        Message<AckFrame>("frame-ack", AckFrame.TryRead, (m, d) => m.WriteTo(d)),
        Message<ResetStreamFrame>("frame-reset-stream", ResetStreamFrame.TryRead, (m, d) => m.WriteTo(d)),
        Message<StopSendingFrame>("frame-stop-sending", StopSendingFrame.TryRead, (m, d) => m.WriteTo(d)),
        Message<CreditFrame>("frame-credit", CreditFrame.TryRead, (m, d) => m.WriteTo(d)),
        Message<CloseFrame>("frame-close", CloseFrame.TryRead, (m, d) => m.WriteTo(d)),
        Message<ulong>("varint", (ReadOnlySpan<byte> d, out ulong v) => VarInt.TryRead(d, out v, out _), (v, d) => VarInt.Write(d, v)),
        new("stream-acceptor", "StreamConnection.Receive of an acceptor waiting for a Hello, then what it sends back", FeedAcceptor, AcceptorSmokeMutations),
        new("stream-established", "StreamConnection.Receive of a protected packet whose plaintext is the input, sealed under the keys of a completed handshake: mutations reach the frame handling behind the AEAD",
            FeedEstablished, EstablishedSmokeMutations),
    ];

    private static void ReadProtectedHeader(byte[] input)
    {
        if (ProtectedHeader.TryRead(input, out var header)
            && (header.SealedLength < ProtectedHeader.TagLength || ProtectedHeader.Length + header.SealedLength > input.Length))
        {
            throw new FuzzPropertyException($"ProtectedHeader of {Convert.ToHexString(input)} claims {header.SealedLength} sealed bytes");
        }
    }

    private static StreamConnection NewAcceptor() =>
        new(new StreamConnectionOptions(), StreamRole.Acceptor, StreamSessionId, StreamChannel, TimeProvider.System);

    private static void FeedAcceptor(byte[] input)
    {
        using var acceptor = NewAcceptor();
        acceptor.Receive(input);
        acceptor.Receive(input); // A repeated hello takes another path (RepeatHello).
        Drain(acceptor);
    }

    /// <summary>
    /// The fuzzer plays the opener with its own <see cref="PacketProtection"/>: it sends a Hello,
    /// agrees keys with the acceptor's Hello, and seals the input as the plaintext of packet 0, so the
    /// AEAD accepts it and every mutation lands on frame parsing and the stream state behind it.
    /// </summary>
    private static void FeedEstablished(byte[] input)
    {
        using var acceptor = NewAcceptor();
        using var opener = new PacketProtection();
        var datagram = new byte[ProtectedHeader.Length + input.Length + ProtectedHeader.TagLength + StreamPackets.MaxDatagram];
        int helloLength = new HelloPacket(StreamChannel, StreamRole.Opener, UsesSecret: false, opener.PublicKey).WriteTo(datagram);
        acceptor.Receive(datagram.AsSpan(0, helloLength));
        if (!TakeHello(acceptor, datagram, out var acceptorHello)
            || !opener.TryAgree(acceptorHello.PublicKey.Span, StreamRole.Opener, StreamSessionId, [], out string? problem))
        {
            throw new FuzzPropertyException("the fixed handshake did not complete");
        }

        int headerLength = new ProtectedHeader(StreamChannel, PacketNumber: 0, input.Length + ProtectedHeader.TagLength).WriteTo(datagram);
        int sealedLength = opener.Seal(0, datagram.AsSpan(0, headerLength), input, datagram.AsSpan(headerLength));
        acceptor.Receive(datagram.AsSpan(0, headerLength + sealedLength));
        Drain(acceptor);
    }

    private static bool TakeHello(StreamConnection connection, byte[] buffer, out HelloPacket hello)
    {
        hello = default;
        for (int i = 0; i < 4; i++)
        {
            int length = connection.TakeDatagram(buffer);
            if (length > 0 && HelloPacket.TryRead(buffer.AsSpan(0, length), out hello))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the driver does after a datagram: send what is due, read what the events announce, run the timer once.</summary>
    private static void Drain(StreamConnection connection)
    {
        var buffer = new byte[StreamPackets.MaxDatagram];
        for (int i = 0; i < 64 && connection.TakeDatagram(buffer) > 0; i++)
        {
        }

        for (int i = 0; i < 1024 && connection.TryTakeEvent(out var streamEvent); i++)
        {
            connection.Read(streamEvent.StreamId, buffer);
        }

        connection.OnTimer();
        connection.TakeDatagram(buffer);
    }
}
