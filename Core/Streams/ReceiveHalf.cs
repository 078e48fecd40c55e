namespace Punch.Core.Streams;

/// <summary>
/// Our receiving side of one stream (RFC 9000 §3.2: Recv → Size Known → Data Recvd → Data Read, or
/// Reset Recvd): reassembles data arriving in any order and any number of times into a window of
/// <paramref name="window"/> bytes past what the application has read, and grants the peer more
/// credit once half the window is read.
/// </summary>
internal sealed class ReceiveHalf(int window, ulong initialLimit)
{
    private readonly ByteRing _ring = new(window);
    private readonly RangeSet _received = new();

    public ulong ReadOffset { get; private set; }
    public ulong HighestReceived { get; private set; }
    public ulong? FinalSize { get; private set; }
    public ulong AdvertisedLimit { get; private set; } = initialLimit;
    public bool CreditPending { get; set; }
    public bool FinRead { get; private set; }
    public ResetStreamFrame? Reset { get; private set; }

    /// <summary>We told the peer to stop (the application abandoned reading); what still arrives is dropped.</summary>
    public bool StopPending { get; set; }
    public bool Stopped { get; private set; }

    /// <summary>A Readable event went out and the application has not read everything since.</summary>
    public bool ReadableSignalled { get; set; }

    public bool IsDone => FinRead || Reset is not null || Stopped;

    public int Readable => !_received.IsEmpty && _received.First.Start <= ReadOffset ? (int)(_received.First.End - ReadOffset) : 0;

    /// <summary>Everything up to the FIN has arrived but the application has not read it all.</summary>
    public bool FinReadable => FinalSize is { } size && Readable == (int)(size - ReadOffset);

    /// <summary>Takes a STREAM frame; returns the error that ends the connection, or null. <paramref name="growth"/> is how far the stream's highest offset moved (connection flow control counts it).</summary>
    public StreamErrorCode? OnData(ulong offset, ReadOnlySpan<byte> data, bool fin, out ulong growth)
    {
        growth = 0;
        ulong end = offset + (ulong)data.Length;
        if (end > AdvertisedLimit)
        {
            return StreamErrorCode.FlowControl;
        }

        if ((FinalSize is { } size && (end > size || (fin && end != size))) || (fin && HighestReceived > end))
        {
            return StreamErrorCode.FinalSize;
        }

        if (fin)
        {
            FinalSize = end;
        }

        growth = end > HighestReceived ? end - HighestReceived : 0;
        HighestReceived = Math.Max(HighestReceived, end);
        if (Reset is not null || Stopped || end <= ReadOffset)
        {
            return null;
        }

        ulong start = Math.Max(offset, ReadOffset);
        _ring.Write(start, data[(int)(start - offset)..]);
        _received.Add(start, end);
        return null;
    }

    public int Read(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, Readable);
        _ring.Read(ReadOffset, destination[..count]);
        ReadOffset += (ulong)count;
        _ring.Release(ReadOffset);
        _received.RemoveBelow(ReadOffset);
        if (FinalSize == ReadOffset)
        {
            FinRead = true;
        }
        else if (AdvertisedLimit - ReadOffset < (ulong)window / 2)
        {
            AdvertisedLimit = ReadOffset + (ulong)window;
            CreditPending = true;
        }

        if (Readable == 0)
        {
            ReadableSignalled = false;
        }

        return count;
    }

    /// <summary>The peer reset its side; returns the bytes never read, which the connection's flow control gets back.</summary>
    public ulong OnReset(ResetStreamFrame reset, out ulong growth)
    {
        growth = reset.FinalSize > HighestReceived ? reset.FinalSize - HighestReceived : 0;
        HighestReceived = Math.Max(HighestReceived, reset.FinalSize);
        Reset = reset;
        _received.Clear();
        return HighestReceived - ReadOffset;
    }

    /// <summary>The application gives up reading; returns the bytes it will never read.</summary>
    public ulong Stop()
    {
        Stopped = true;
        StopPending = true;
        _received.Clear();
        return HighestReceived - ReadOffset;
    }
}
