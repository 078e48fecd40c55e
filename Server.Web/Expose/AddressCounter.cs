using System.Net;

namespace Punch.Server.Expose;

/// <summary>
/// How many of something each source address holds (waiting connections, visitors), so one address
/// cannot take every slot of a server-wide cap. Thread-safe; an address that holds nothing is
/// forgotten, so the table is bounded by what is held, not by who ever came.
/// </summary>
public sealed class AddressCounter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _held = [];

    /// <summary>Takes one slot for <paramref name="address"/>; false (nothing taken) when it already holds <paramref name="max"/>.</summary>
    public bool TryAcquire(IPAddress address, int max)
    {
        var key = Normalize(address);
        lock (_gate)
        {
            int held = _held.GetValueOrDefault(key);
            if (held >= max)
            {
                return false;
            }

            _held[key] = held + 1;
            return true;
        }
    }

    /// <summary>Gives back one slot taken by <see cref="TryAcquire"/>.</summary>
    public void Release(IPAddress address)
    {
        var key = Normalize(address);
        lock (_gate)
        {
            if (_held.TryGetValue(key, out int held))
            {
                if (held <= 1)
                {
                    _held.Remove(key);
                }
                else
                {
                    _held[key] = held - 1;
                }
            }
        }
    }

    public int HeldBy(IPAddress address)
    {
        lock (_gate)
        {
            return _held.GetValueOrDefault(Normalize(address));
        }
    }

    /// <summary>A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; they are the same client as a.b.c.d.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
