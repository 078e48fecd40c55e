using Punch.Core.Peering;
using Punch.Core.Protocol;

namespace Punch.Server.Relay;

/// <summary>
/// The live allocations, by channel and by session. Lookup by channel is one array read with no lock
/// (the forwarding hot path: RFC 8656 §12 channel numbers are a dense 12-bit space, so an array of
/// 4096 references beats any hash); changes happen under the owner's lock and publish the reference
/// with a volatile write.
/// </summary>
public sealed class RelayChannelTable
{
    public const int Size = PeerFrame.ChannelCount;

    private readonly RelayAllocation?[] _byChannel = new RelayAllocation?[Size];
    private readonly Dictionary<SessionId, RelayAllocation> _bySession = [];
    // Next-fit: a freed channel is not handed out again at once, so a late frame of an ended session meets an empty slot rather than a new session.
    private int _next;

    public int Count => _bySession.Count;

    public IEnumerable<RelayAllocation> All => _bySession.Values;

    /// <summary>The allocation of a channel, or null; safe from any thread without a lock.</summary>
    public RelayAllocation? ByChannel(int channel)
    {
        int index = channel - PeerFrame.MinChannel;
        return (uint)index < Size ? Volatile.Read(ref _byChannel[index]) : null;
    }

    public RelayAllocation? BySession(SessionId id) => _bySession.GetValueOrDefault(id);

    /// <summary>A free channel, or false when every channel is taken. Caller holds the owner's lock.</summary>
    public bool TryFindFreeChannel(out ushort channel)
    {
        for (int i = 0; i < Size; i++)
        {
            int index = (_next + i) % Size;
            if (_byChannel[index] is null)
            {
                _next = (index + 1) % Size;
                channel = (ushort)(PeerFrame.MinChannel + index);
                return true;
            }
        }

        channel = 0;
        return false;
    }

    public void Add(RelayAllocation allocation)
    {
        _bySession.Add(allocation.SessionId, allocation);
        Volatile.Write(ref _byChannel[allocation.Channel - PeerFrame.MinChannel], allocation);
    }

    public void Remove(RelayAllocation allocation)
    {
        _bySession.Remove(allocation.SessionId);
        Volatile.Write(ref _byChannel[allocation.Channel - PeerFrame.MinChannel], null);
    }
}
