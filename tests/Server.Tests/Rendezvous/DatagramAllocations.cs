namespace Punch.Server.Tests.Rendezvous;

/// <summary>
/// Wraps a receive loop's relay filter, the first thing that sees every datagram on the receive thread,
/// to read that thread's allocation counter at each datagram: the difference between two readings is
/// everything the thread allocated for one datagram (receive, admission, endpoint, handler, reply, send).
/// </summary>
public sealed class DatagramAllocations(int capacity)
{
    private readonly long[] _readings = new long[capacity];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Called on the receive thread; allocates nothing itself.</summary>
    public void Read()
    {
        int index = _count;
        if (index < _readings.Length)
        {
            _readings[index] = GC.GetAllocatedBytesForCurrentThread();
            Volatile.Write(ref _count, index + 1);
        }
    }

    /// <summary>Bytes per datagram between reading <paramref name="from"/> and the last one (earlier ones warm caches and JIT).</summary>
    public double PerDatagram(int from)
    {
        int last = Count - 1;
        Assert.True(last > from, $"only {Count} datagrams were read");
        return (_readings[last] - _readings[from]) / (double)(last - from);
    }
}
