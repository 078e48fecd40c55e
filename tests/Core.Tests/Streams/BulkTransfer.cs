using Punch.Core.Streams;

namespace Punch.Core.Tests.Streams;

/// <summary>Moves one buffer from the opener to the acceptor over one stream (writing what is accepted, reading what is there), and optionally back.</summary>
internal sealed class BulkTransfer(StreamLink link, byte[] data)
{
    private readonly MemoryStream _received = new();
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private int _written;
    private ulong? _stream;
    private ulong? _peerStream;

    public byte[] Received => _received.ToArray();
    public bool Finished { get; private set; }
    public bool ReadPaused { get; set; }
    public int Written => _written;

    public void Step()
    {
        if (_stream is null && link.Opener.TryOpenStream(out ulong id))
        {
            _stream = id;
        }

        if (_stream is { } stream && _written < data.Length)
        {
            int accepted = link.Opener.Write(stream, data.AsSpan(_written));
            _written += Math.Max(accepted, 0);
            if (_written == data.Length)
            {
                link.Opener.Finish(stream);
            }
        }

        _peerStream ??= link.AcceptorEvents.FirstOrDefault(e => e.Kind == StreamEventKind.StreamOpened) is { Kind: StreamEventKind.StreamOpened } opened ? opened.StreamId : null;
        while (!ReadPaused && !Finished && _peerStream is { } peerStream)
        {
            var result = link.Acceptor.Read(peerStream, _readBuffer);
            _received.Write(_readBuffer, 0, result.Bytes);
            Finished = result.Status == StreamReadStatus.Finished;
            if (result.Status != StreamReadStatus.Data)
            {
                break;
            }
        }
    }
}
