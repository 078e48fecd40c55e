using System.Net;
using System.Numerics;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous;

/// <summary>
/// Admits or drops a datagram by its source IP address before anything parses it. The table is a
/// fixed-size set-associative cache (like a CPU cache): an address hashes to one set of
/// <see cref="Ways"/> slots; a new address takes an empty or idle slot there, else the least recently
/// seen one. So memory is fixed whatever the number of (spoofed) sources, a lookup touches two cache
/// lines, and nothing is allocated per datagram. The hash is seeded per process (<see cref="HashCode"/>),
/// so a sender cannot aim its addresses at one set to push a chosen source out. A source that loses
/// its slot comes back with a full bucket, which errs on the side of the legitimate source.
/// Both receive threads share one table behind one lock: the per-datagram work under it is a few
/// comparisons and one multiply, far below the cost of the receive call itself.
/// </summary>
public sealed class SourceRateLimiter
{
    /// <summary>Slots per set: eight 32-byte slots are four cache lines, and LRU over eight is close to true LRU.</summary>
    public const int Ways = 8;

    private readonly Slot[] _slots;
    private readonly int _setMask;
    private readonly double _burst;
    private readonly double _tokensPerTick;
    private readonly long _idleTicks;
    private readonly TimeProvider _time;
    private readonly RendezvousStats _stats;
    private readonly Lock _gate = new();

    public SourceRateLimiter(SourceRateLimitOptions options, TimeProvider time, RendezvousStats stats)
    {
        int sets = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, (options.MaxSources + Ways - 1) / Ways));
        _slots = new Slot[sets * Ways];
        _setMask = sets - 1;
        _burst = options.Burst;
        _tokensPerTick = options.PacketsPerSecond / time.TimestampFrequency;
        _idleTicks = (long)(options.IdleTimeout.TotalSeconds * time.TimestampFrequency);
        _time = time;
        _stats = stats;
    }

    /// <summary>How many sources the table holds at most (<see cref="SourceRateLimitOptions.MaxSources"/> rounded up).</summary>
    public int Capacity => _slots.Length;

    /// <summary>
    /// The bucket a datagram is admitted against: an IPv4 address, or an IPv6 /64 (as <see cref="AddressBlock"/> counts).
    /// One IPv6 host usually holds a whole /64 (RFC 6177); per /128 it could rotate source addresses and never run dry.
    /// </summary>
    public static UInt128 AdmissionKeyOf(SocketAddress address)
    {
        var key = AddressKey.Of(address);
        return (key >> 32) == 0xFFFF ? key : key & ~(UInt128)ulong.MaxValue;
    }

    /// <summary>True when the source has a token to spend; a dropped datagram is counted.</summary>
    public bool TryAdmit(UInt128 source)
    {
        // Real timestamps are never 0, which marks an empty slot.
        long now = Math.Max(1, _time.GetTimestamp());
        int first = SetOf(source) * Ways;
        lock (_gate)
        {
            int victim = first;
            long victimSeen = long.MaxValue;
            for (int i = first; i < first + Ways; i++)
            {
                ref var slot = ref _slots[i];
                if (slot.LastSeen != 0 && slot.Source == source)
                {
                    return Spend(ref slot, now);
                }

                if (slot.LastSeen < victimSeen)
                {
                    victim = i;
                    victimSeen = slot.LastSeen;
                }
            }

            if (victimSeen != 0 && now - victimSeen < _idleTicks)
            {
                // The set is full of sources heard from recently: the table is too small for the traffic, or someone sprays addresses.
                _stats.RateLimitEviction();
            }

            _slots[victim] = new Slot { Source = source, LastSeen = now, Tokens = _burst - 1 };
            return true;
        }
    }

    private bool Spend(ref Slot slot, long now)
    {
        double tokens = Math.Min(_burst, slot.Tokens + ((now - slot.LastSeen) * _tokensPerTick));
        // Seen even when dropped: a flooding source stays the most recent in its set, so churn cannot reset its bucket.
        slot.LastSeen = now;
        if (tokens >= 1)
        {
            slot.Tokens = tokens - 1;
            return true;
        }

        slot.Tokens = tokens;
        _stats.RateLimited();
        return false;
    }

    private int SetOf(UInt128 source) => HashCode.Combine((ulong)source, (ulong)(source >> 64)) & _setMask;

    private struct Slot
    {
        public UInt128 Source;
        public long LastSeen;
        public double Tokens;
    }
}
