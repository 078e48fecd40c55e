using System.Runtime.InteropServices;

namespace Punch.Server.Udp;

/// <summary>
/// One batch of datagrams for recvmmsg/sendmmsg in native memory: the message headers, one iovec and one
/// sockaddr_storage per message, and the data slots, in one allocation made at start and freed at stop
/// (native, so the GC never moves or scans it and nothing is pinned per call).
/// </summary>
internal sealed unsafe class DatagramBatch : IDisposable
{
    /// <summary>sizeof(struct sockaddr_storage).</summary>
    public const int AddressCapacity = 128;

    private readonly byte* _memory;
    private readonly MessageHeader* _headers;
    private readonly IoVector* _vectors;
    private readonly byte* _names;
    private readonly byte* _slots;

    public DatagramBatch(int capacity, int slotSize)
    {
        Capacity = capacity;
        SlotSize = slotSize;
        nuint size = (nuint)capacity * (nuint)(sizeof(MessageHeader) + sizeof(IoVector) + AddressCapacity + slotSize);
        _memory = (byte*)NativeMemory.AlignedAlloc(size, 64);
        NativeMemory.Clear(_memory, size);
        _headers = (MessageHeader*)_memory;
        _vectors = (IoVector*)(_headers + capacity);
        _names = (byte*)(_vectors + capacity);
        _slots = _names + (capacity * AddressCapacity);
        for (int i = 0; i < capacity; i++)
        {
            _headers[i].Name = (nint)(_names + (i * AddressCapacity));
            _headers[i].IoVectors = (nint)(_vectors + i);
            _headers[i].IoVectorCount = 1;
            _vectors[i].Base = (nint)(_slots + ((long)i * slotSize));
        }
    }

    public int Capacity { get; }

    public int SlotSize { get; }

    public MessageHeader* Headers => _headers;

    /// <summary>Before recvmmsg: every message may take a full slot and a full sockaddr again.</summary>
    public void PrepareReceive(int receiveLength)
    {
        for (int i = 0; i < Capacity; i++)
        {
            _headers[i].NameLength = AddressCapacity;
            _headers[i].Flags = 0;
            _headers[i].Length = 0;
            _vectors[i].Length = (nuint)receiveLength;
        }
    }

    public Span<byte> Slot(int index) => new(_slots + ((long)index * SlotSize), SlotSize);

    public ReadOnlySpan<byte> Received(int index) => new(_slots + ((long)index * SlotSize), (int)_headers[index].Length);

    public bool Truncated(int index) => (_headers[index].Flags & LinuxSockets.MessageTruncated) != 0;

    /// <summary>The source the kernel wrote for a received message.</summary>
    public ReadOnlySpan<byte> Name(int index) => new(_names + (index * AddressCapacity), (int)Math.Min(_headers[index].NameLength, AddressCapacity));

    public Span<byte> NameSlot(int index) => new(_names + (index * AddressCapacity), AddressCapacity);

    /// <summary>Points message <paramref name="index"/> at data that lives until the batch is sent (a slot here, or a received slot of another batch).</summary>
    public void SetMessage(int index, ReadOnlySpan<byte> data, int nameLength)
    {
        fixed (byte* pointer = data)
        {
            _vectors[index].Base = (nint)pointer;
        }

        _vectors[index].Length = (nuint)data.Length;
        _headers[index].NameLength = (uint)nameLength;
        _headers[index].Flags = 0;
    }

    /// <summary>Whether <paramref name="data"/> lies in this batch's slots (so it stays put until the next receive).</summary>
    public bool Holds(ReadOnlySpan<byte> data)
    {
        fixed (byte* pointer = data)
        {
            return pointer >= _slots && pointer + data.Length <= _slots + ((long)Capacity * SlotSize);
        }
    }

    public void Dispose() => NativeMemory.AlignedFree(_memory);
}
