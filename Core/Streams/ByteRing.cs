namespace Punch.Core.Streams;

/// <summary>
/// Bytes of one stream direction addressed by stream offset: [<see cref="Base"/>, Base + max) may be
/// held. Starts small and doubles up to <paramref name="maxCapacity"/>, so a thousand idle streams
/// cost little while a busy one gets its whole window.
/// </summary>
internal sealed class ByteRing(int maxCapacity)
{
    private const int InitialCapacity = 4096;
    private byte[] _buffer = [];
    private ulong _high;

    public ulong Base { get; private set; }
    public int MaxCapacity => maxCapacity;

    /// <summary>Stores <paramref name="data"/> at <paramref name="offset"/>; the caller keeps it inside [Base, Base + MaxCapacity).</summary>
    public void Write(ulong offset, ReadOnlySpan<byte> data)
    {
        ulong end = offset + (ulong)data.Length;
        if (end - Base > (ulong)maxCapacity || offset < Base)
        {
            throw new InvalidOperationException($"Bytes [{offset}, {end}) fall outside the ring's [{Base}, {Base + (ulong)maxCapacity}).");
        }

        Grow((int)(end - Base));
        int done = 0;
        while (done < data.Length)
        {
            int index = (int)((offset + (ulong)done) % (ulong)_buffer.Length);
            int count = Math.Min(data.Length - done, _buffer.Length - index);
            data.Slice(done, count).CopyTo(_buffer.AsSpan(index, count));
            done += count;
        }

        _high = Math.Max(_high, end);
    }

    public void Read(ulong offset, Span<byte> destination)
    {
        var buffer = _buffer;
        int done = 0;
        while (done < destination.Length)
        {
            int index = (int)((offset + (ulong)done) % (ulong)buffer.Length);
            int count = Math.Min(destination.Length - done, buffer.Length - index);
            buffer.AsSpan(index, count).CopyTo(destination[done..]);
            done += count;
        }
    }

    /// <summary>Forgets everything below <paramref name="offset"/>.</summary>
    public void Release(ulong offset)
    {
        if (offset > Base)
        {
            Base = offset;
            _high = Math.Max(_high, offset);
        }
    }

    private void Grow(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        int capacity = Math.Max(_buffer.Length, InitialCapacity);
        while (capacity < needed)
        {
            capacity = Math.Min(capacity * 2, maxCapacity);
        }

        var larger = new byte[capacity];
        if (_buffer.Length > 0)
        {
            for (ulong offset = Base; offset < _high; offset++)
            {
                larger[offset % (ulong)capacity] = _buffer[offset % (ulong)_buffer.Length];
            }
        }

        _buffer = larger;
    }
}
