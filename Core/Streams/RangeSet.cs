namespace Punch.Core.Streams;

/// <summary>
/// Disjoint, sorted, merged ranges of ulong values: received packet numbers (for ACK frames and replay
/// checks), received and acknowledged stream bytes, stream bytes to retransmit. Small by design: the
/// callers bound how many ranges can exist (a receive window, a packet-number window).
/// </summary>
public sealed class RangeSet
{
    private readonly List<ValueRange> _ranges = [];

    public int Count => _ranges.Count;
    public bool IsEmpty => _ranges.Count == 0;
    public IReadOnlyList<ValueRange> Ranges => _ranges;

    /// <summary>The lowest range; only when not empty.</summary>
    public ValueRange First => _ranges[0];

    /// <summary>The highest range; only when not empty.</summary>
    public ValueRange Last => _ranges[^1];

    public void Add(ulong start, ulong end)
    {
        if (start >= end)
        {
            return;
        }

        int index = FirstEndingAtOrAfter(start);
        // Merge every range that touches or overlaps [start, end).
        int last = index;
        while (last < _ranges.Count && _ranges[last].Start <= end)
        {
            start = Math.Min(start, _ranges[last].Start);
            end = Math.Max(end, _ranges[last].End);
            last++;
        }

        _ranges.RemoveRange(index, last - index);
        _ranges.Insert(index, new ValueRange(start, end));
    }

    public void Remove(ulong start, ulong end)
    {
        if (start >= end)
        {
            return;
        }

        int index = FirstEndingAtOrAfter(start + 1);
        while (index < _ranges.Count && _ranges[index].Start < end)
        {
            var range = _ranges[index];
            _ranges.RemoveAt(index);
            if (range.End > end)
            {
                _ranges.Insert(index, new ValueRange(end, range.End));
            }

            if (range.Start < start)
            {
                _ranges.Insert(index, new ValueRange(range.Start, start));
                index++;
            }
        }
    }

    public bool Contains(ulong value)
    {
        int index = FirstEndingAtOrAfter(value + 1);
        return index < _ranges.Count && _ranges[index].Start <= value;
    }

    /// <summary>True when every value of [start, end) is in the set.</summary>
    public bool ContainsAll(ulong start, ulong end)
    {
        if (start >= end)
        {
            return true;
        }

        int index = FirstEndingAtOrAfter(start + 1);
        return index < _ranges.Count && _ranges[index].Start <= start && _ranges[index].End >= end;
    }

    /// <summary>Drops everything below <paramref name="floor"/>.</summary>
    public void RemoveBelow(ulong floor)
    {
        if (floor > 0)
        {
            Remove(0, floor);
        }
    }

    /// <summary>Removes and returns up to <paramref name="maxLength"/> values from the start of the lowest range.</summary>
    public ValueRange TakeFirst(ulong maxLength)
    {
        var first = _ranges[0];
        ulong end = first.Start + Math.Min(maxLength, first.Length);
        Remove(first.Start, end);
        return new ValueRange(first.Start, end);
    }

    public void Clear() => _ranges.Clear();

    /// <summary>Index of the first range whose end is at least <paramref name="value"/> (binary search).</summary>
    private int FirstEndingAtOrAfter(ulong value)
    {
        int low = 0;
        int high = _ranges.Count;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (_ranges[middle].End < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
