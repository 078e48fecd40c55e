using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Punch.Core.Expose;

namespace Punch.Server.Expose;

/// <summary>
/// Who holds which public port, and the visitor connections waiting for their peer's data
/// connection. Thread-safe: control connections, public listeners and data connections all come
/// here from their own tasks.
/// </summary>
public sealed class ExposeRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ExposedService> _byPort = [];
    private readonly Dictionary<ulong, VisitorConnection> _pending = [];
    private readonly AddressCounter _visitorsByAddress = new();
    private readonly AddressCounter _attachesByExposer = new();

    public IReadOnlyList<ExposedService> Services
    {
        get
        {
            lock (_gate)
            {
                return [.. _byPort.Values.OrderBy(s => s.PublicPort)];
            }
        }
    }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Takes <paramref name="service"/>'s port, or says why not. A live service is taken over
    /// (<paramref name="replaced"/>, to be stopped by the caller) only by the same name of the same
    /// network showing the secret the holder was given: that is the holder reconnecting before the
    /// server noticed its old connection died. A name alone proves nothing in a network without a
    /// key, so without the secret the holder keeps its port.
    /// </summary>
    public ReservationRefusal? TryReserve(ExposedService service, UInt128? presentedSecret, ExposeOptions limits, out ExposedService? replaced)
    {
        replaced = null;
        var address = AddressCounter.Normalize(service.PeerEndPoint.Address);
        lock (_gate)
        {
            if (_byPort.TryGetValue(service.PublicPort, out var holder))
            {
                if (holder.Peer != service.Peer || presentedSecret is not { } secret || !SecretsEqual(holder.Secret, secret))
                {
                    // Neither the holder's address nor its name: the refusal must not tell a stranger who publishes what.
                    return new(ExposeErrorCode.PortInUse, $"port {service.PublicPort} is held by a live service; only its holder (same name, key and secret) can take it over", ExposeRefusalKind.PortHeld);
                }

                replaced = holder;
                _byPort[service.PublicPort] = service;
                return null;
            }

            if (_byPort.Values.FirstOrDefault(s => s.Peer == service.Peer) is { } sameName)
            {
                return new(ExposeErrorCode.PortInUse, $"the name {service.Peer.Name} already exposes port {sameName.PublicPort} in network {service.Peer.Network}; use another --name", ExposeRefusalKind.PortInUse);
            }

            if (_byPort.Values.Count(s => s.Peer.Network == service.Peer.Network) >= limits.MaxServicesPerNetwork)
            {
                return new(ExposeErrorCode.QuotaReached, $"network {service.Peer.Network} already exposes {limits.MaxServicesPerNetwork} services, the server's limit (Expose:MaxServicesPerNetwork)", ExposeRefusalKind.ServicesPerNetwork);
            }

            if (_byPort.Values.Count(s => AddressCounter.Normalize(s.PeerEndPoint.Address).Equals(address)) >= limits.MaxServicesPerAddress)
            {
                return new(ExposeErrorCode.QuotaReached, $"this address already exposes {limits.MaxServicesPerAddress} services, the server's limit (Expose:MaxServicesPerAddress)", ExposeRefusalKind.ServicesPerAddress);
            }

            if (_byPort.Count >= limits.MaxServices)
            {
                return new(ExposeErrorCode.QuotaReached, $"the server already exposes {limits.MaxServices} services, its limit (Expose:MaxServices)", ExposeRefusalKind.Services);
            }

            _byPort[service.PublicPort] = service;
            return null;
        }
    }

    /// <summary>Takes a visitor slot of <paramref name="address"/> (all public ports together); false when it holds <paramref name="max"/> already.</summary>
    public bool TryAdmitVisitor(IPAddress address, int max) => _visitorsByAddress.TryAcquire(address, max);

    /// <summary>Gives back the slot of a visitor that was admitted.</summary>
    public void VisitorGone(IPAddress address) => _visitorsByAddress.Release(address);

    /// <summary>Frees the port, if <paramref name="service"/> still holds it (a takeover may have replaced it already).</summary>
    public void Release(ExposedService service)
    {
        lock (_gate)
        {
            if (_byPort.TryGetValue(service.PublicPort, out var holder) && ReferenceEquals(holder, service))
            {
                _byPort.Remove(service.PublicPort);
            }
        }
    }

    public void AddPending(VisitorConnection visitor)
    {
        lock (_gate)
        {
            _pending[visitor.Id] = visitor;
            _attachesByExposer.TryAcquire(visitor.Service.PeerEndPoint.Address, int.MaxValue);
        }
    }

    /// <summary>
    /// Visitors waiting for a data connection from services exposed from <paramref name="address"/>:
    /// each is a data connection that address is about to open, so the control port lets that many
    /// more of its connections wait (a burst of visitors is a burst of data connections).
    /// </summary>
    public int PendingAttachesFor(IPAddress address) => _attachesByExposer.HeldBy(address);

    /// <summary>The waiting visitor with this id, when the token is its own; it is no longer waiting afterwards (a token works once).</summary>
    public VisitorConnection? TakePending(ulong id, UInt128 token)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(id, out var visitor) || !SecretsEqual(visitor.Token, token))
            {
                return null;
            }

            _pending.Remove(id);
            _attachesByExposer.Release(visitor.Service.PeerEndPoint.Address);
            return visitor;
        }
    }

    /// <summary>Stops waiting for <paramref name="visitor"/>; false when it was no longer waiting (attached, or already removed).</summary>
    public bool RemovePending(VisitorConnection visitor)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(visitor.Id, out var waiting) || !ReferenceEquals(waiting, visitor))
            {
                return false;
            }

            _pending.Remove(visitor.Id);
            _attachesByExposer.Release(visitor.Service.PeerEndPoint.Address);
            return true;
        }
    }

    /// <summary>Compared in constant time, so the time of a refusal tells nothing about how much of a guess was right.</summary>
    public static bool SecretsEqual(UInt128 expected, UInt128 actual)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(a, expected);
        BinaryPrimitives.WriteUInt128BigEndian(b, actual);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
