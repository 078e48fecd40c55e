using System.Collections.Immutable;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

/// <summary>
/// Who is registered right now, in memory (a restart empties it; peers re-register on the 404 their
/// next refresh gets). Not thread-safe: the rendezvous handler serializes access.
/// </summary>
public sealed class PeerRegistry(RendezvousOptions options)
{
    private readonly Dictionary<PeerIdentity, RegisteredPeer> _peers = [];
    // Kept in step with _peers by Add/Replace/Remove, so a cap check is one lookup instead of a scan.
    private readonly Dictionary<string, int> _perNetwork = [];
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    // No registration expires before this (a lower bound: a refresh only moves an expiry later), so the
    // handler's tick, every 50 ms under its lock, skips the scan until one may have. Measured with 100,000
    // peers: a scan took 1-10 ms (docs/scale-benchmark.md), i.e. every tick, not only when a peer lapsed.
    private DateTimeOffset _earliestExpiry = DateTimeOffset.MaxValue;

    public int Count => _peers.Count;

    public RegisteredPeer? Find(PeerIdentity identity) => _peers.GetValueOrDefault(identity);

    public IEnumerable<RegisteredPeer> Live(DateTimeOffset now) => _peers.Values.Where(p => p.ExpiresAt > now);

    public RegisterOutcome Register(PeerIdentity identity, IPEndPoint from, ImmutableArray<IPEndPoint> hostCandidates, ImmutableArray<IPEndPoint> mappedCandidates, NatMapping mapping, NatReport nat, DateTimeOffset now, out RegisteredPeer peer,
        IPEndPoint? otherFamilyReflexive = null)
    {
        var expires = now + options.PeerLifetime;
        if (_peers.TryGetValue(identity, out var existing))
        {
            if (!existing.PublicEndPoint.Equals(from) && existing.ExpiresAt > now)
            {
                peer = existing;
                return RegisterOutcome.NameTaken;
            }

            bool samePeer = existing.PublicEndPoint.Equals(from);
            if (!AddressBlock.Of(existing.PublicEndPoint.Address).Equals(AddressBlock.Of(from.Address)) && CountAt(from.Address) >= options.MaxPeersPerAddress)
            {
                peer = existing;
                return RegisterOutcome.AddressFull;
            }

            peer = existing with
            {
                PublicEndPoint = from,
                HostCandidates = hostCandidates,
                MappedCandidates = mappedCandidates,
                OtherFamilyReflexive = otherFamilyReflexive,
                ExpiresAt = expires,
                RegisteredAt = samePeer ? existing.RegisteredAt : now,
                Reported = now,
                Mapping = mapping,
                Nat = samePeer ? nat.Over(existing.Nat) : nat
            };
            Remove(existing);
            Add(peer);
            return samePeer ? RegisterOutcome.Renewed : RegisterOutcome.Registered;
        }

        var refused = _peers.Count >= options.MaxPeers ? RegisterOutcome.Full
            : _perNetwork.GetValueOrDefault(identity.Network) >= options.MaxPeersPerNetwork ? RegisterOutcome.NetworkFull
            : CountAt(from.Address) >= options.MaxPeersPerAddress ? RegisterOutcome.AddressFull
            : RegisterOutcome.Registered;
        if (refused != RegisterOutcome.Registered)
        {
            peer = null!;
            return refused;
        }

        peer = new RegisteredPeer(identity, from, hostCandidates, now, expires, mapping, nat, mappedCandidates, otherFamilyReflexive) { Reported = now };
        Add(peer);
        return RegisterOutcome.Registered;
    }

    /// <summary>TURN-style refresh (RFC 8656 §7): a zero lifetime removes the registration.</summary>
    public RefreshOutcome Refresh(PeerIdentity identity, IPEndPoint from, TimeSpan? lifetime, NatMapping mapping, NatReport nat, DateTimeOffset now, out RegisteredPeer? peer)
    {
        if (!_peers.TryGetValue(identity, out peer) || peer.ExpiresAt <= now)
        {
            peer = null;
            return RefreshOutcome.NotRegistered;
        }

        if (!peer.PublicEndPoint.Equals(from))
        {
            return RefreshOutcome.AddressMismatch;
        }

        if (lifetime == TimeSpan.Zero)
        {
            Remove(peer);
            return RefreshOutcome.Unregistered;
        }

        var newMapping = mapping == NatMapping.Unknown ? peer.Mapping : mapping;
        var newNat = nat.Over(peer.Nat);
        // A refresh is stored as an event only when it says something new (a NAT report) or once per peer lifetime, which keeps
        // the dashboard's Last seen within a lifetime; Online is exact anyway (Registered and Expired set it). Measured: 100,000
        // peers refreshing every 10 s made 10,000 stored events/s, more than SQLite kept up with on 2 cores (28-32 % dropped,
        // Registered events among them), docs/scale-benchmark.md.
        bool report = newMapping != peer.Mapping || newNat != peer.Nat || now - peer.Reported >= options.PeerLifetime;
        // One new record per refresh (this is the per-datagram path): decided first, then built once.
        peer = peer with { ExpiresAt = now + options.PeerLifetime, Mapping = newMapping, Nat = newNat, Reported = report ? now : peer.Reported };
        _peers[identity] = peer;
        return report ? RefreshOutcome.Refreshed : RefreshOutcome.RefreshedQuietly;
    }

    /// <summary>A request from <paramref name="from"/> that claims <paramref name="identity"/> is trusted only if that is where the registration lives.</summary>
    public RegisteredPeer? FindLive(PeerIdentity identity, IPEndPoint from, DateTimeOffset now) =>
        _peers.TryGetValue(identity, out var peer) && peer.ExpiresAt > now && peer.PublicEndPoint.Equals(from) ? peer : null;

    public List<RegisteredPeer> RemoveExpired(DateTimeOffset now)
    {
        if (now < _earliestExpiry)
        {
            return [];
        }

        var removed = RemoveWhere(p => p.ExpiresAt <= now);
        _earliestExpiry = DateTimeOffset.MaxValue;
        foreach (var peer in _peers.Values)
        {
            if (peer.ExpiresAt < _earliestExpiry)
            {
                _earliestExpiry = peer.ExpiresAt;
            }
        }

        return removed;
    }

    public List<RegisteredPeer> RemoveNetwork(string network) => RemoveWhere(p => p.Identity.Network == network);

    private List<RegisteredPeer> RemoveWhere(Func<RegisteredPeer, bool> predicate)
    {
        var removed = _peers.Values.Where(predicate).ToList();
        foreach (var peer in removed)
        {
            Remove(peer);
        }

        return removed;
    }

    private int CountAt(IPAddress address) => _perAddress.GetValueOrDefault(AddressBlock.Of(address));

    private void Add(RegisteredPeer peer)
    {
        _peers[peer.Identity] = peer;
        if (peer.ExpiresAt < _earliestExpiry)
        {
            _earliestExpiry = peer.ExpiresAt;
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_perNetwork, peer.Identity.Network, out _)++;
        CollectionsMarshal.GetValueRefOrAddDefault(_perAddress, AddressBlock.Of(peer.PublicEndPoint.Address), out _)++;
    }

    private void Remove(RegisteredPeer peer)
    {
        _peers.Remove(peer.Identity);
        Decrement(_perNetwork, peer.Identity.Network);
        Decrement(_perAddress, AddressBlock.Of(peer.PublicEndPoint.Address));
    }

    /// <summary>Drops a key at zero, so the count tables hold only what is registered now.</summary>
    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        ref int count = ref CollectionsMarshal.GetValueRefOrNullRef(counts, key);
        if (!Unsafe.IsNullRef(ref count) && --count <= 0)
        {
            counts.Remove(key);
        }
    }
}
