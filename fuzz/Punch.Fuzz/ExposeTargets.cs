using Punch.Core.Expose;
using Punch.Core.Stun;

namespace Punch.Fuzz;

public static partial class FuzzTargets
{
    private static FuzzTarget[] ExposeTargets() =>
    [
        Message<ExposeRegisterRequest>("expose-register", ExposeRegisterRequest.TryRead, (m, d) => m.WriteTo(d)),
        Message<ExposeRegisterResponse>("expose-register-response", ExposeRegisterResponse.TryRead, (m, d) => m.WriteTo(d)),
        Message<ExposeOpenIndication>("expose-open", ExposeOpenIndication.TryRead, (m, d) => m.WriteTo(d)),
        Message<ExposeAttachIndication>("expose-attach", ExposeAttachIndication.TryRead, (m, d) => m.WriteTo(d)),
        Message<ExposeOpenFailedIndication>("expose-open-failed", ExposeOpenFailedIndication.TryRead, (m, d) => m.WriteTo(d)),
        Message<ExposeKeepaliveIndication>("expose-keepalive", ExposeKeepaliveIndication.TryRead, (m, d) => m.WriteTo(d)),
        new("expose-stream", "ControlChannel/StunStream framing of a TCP byte stream arriving in small reads, every expose reader on each message", ReadControlStream),
    ];

    /// <summary>
    /// The input is what a TCP connection delivers, in reads of a few bytes (as a slow or hostile
    /// sender makes them). The channel may refuse the bytes with <see cref="InvalidDataException"/>
    /// (the connection is then closed); anything else thrown is a finding, and so is a message longer
    /// than the fixed buffer or more bytes handed out than came in (framing that buffers or loops without bound).
    /// </summary>
    private static void ReadControlStream(byte[] input)
    {
        using var channel = new ControlChannel(new TrickleStream(input, maxRead: 1 + (input.Length % 31)), TimeSpan.FromSeconds(5));
        long delivered = 0;
        for (int messages = 0; messages <= input.Length / StunConstants.HeaderLength; messages++)
        {
            ReadOnlyMemory<byte> message;
            try
            {
                message = channel.ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (InvalidDataException)
            {
                return;
            }

            if (message.IsEmpty)
            {
                return;
            }

            delivered += message.Length;
            if (message.Length > StunStream.MaxMessageLength || delivered > input.Length || !StunMessage.LooksLikeStun(message.Span))
            {
                throw new FuzzPropertyException($"the stream framing handed out a {message.Length}-byte message ({delivered} of {input.Length} bytes) from {Convert.ToHexString(input)}");
            }

            var span = message.Span;
            ExposeRegisterRequest.TryRead(span, out _);
            ExposeRegisterResponse.TryRead(span, out _);
            ExposeOpenIndication.TryRead(span, out _);
            ExposeAttachIndication.TryRead(span, out _);
            ExposeOpenFailedIndication.TryRead(span, out _);
            ExposeKeepaliveIndication.TryRead(span, out _);
        }

        throw new FuzzPropertyException($"the stream framing read more messages than {input.Length} bytes can hold");
    }

    /// <summary>A read-only stream over the input that never returns more than <c>maxRead</c> bytes per read, like TCP segments.</summary>
    private sealed class TrickleStream(byte[] content, int maxRead) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => content.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int length = Math.Min(Math.Min(buffer.Length, maxRead), content.Length - _position);
            content.AsSpan(_position, length).CopyTo(buffer);
            _position += length;
            return length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
