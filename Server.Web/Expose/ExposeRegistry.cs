using System.Buffers.Binary;
using System.Security.Cryptography;
using Punch.Core.Expose;

namespace Punch.Server.Expose;

/// <summary>Why a registration cannot have its port; null when it can.</summary>
public sealed record ReservationRefusal(int Code, string Reason);

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
    /// Takes <paramref name="service"/>'s port, or says why not. The same name of the same network
    /// asking again for the same port takes it over (<paramref name="replaced"/>, to be stopped by the
    /// caller): that is a peer that restarted before the server noticed its old connection died.
    /// </summary>
    public ReservationRefusal? TryReserve(ExposedService service, ExposeOptions limits, out ExposedService? replaced)
    {
        replaced = null;
        lock (_gate)
        {
            if (_byPort.TryGetValue(service.PublicPort, out var holder))
            {
                if (holder.Peer != service.Peer)
                {
                    return new(ExposeErrorCode.PortInUse, $"port {service.PublicPort} is in use on the server (exposed by {holder.Peer.Name} of network {holder.Peer.Network})");
                }

                replaced = holder;
            }
            else if (_byPort.Values.FirstOrDefault(s => s.Peer == service.Peer) is { } sameName)
            {
                return new(ExposeErrorCode.PortInUse, $"the name {service.Peer.Name} already exposes port {sameName.PublicPort} in network {service.Peer.Network}; use another --name");
            }
            else if (_byPort.Values.Count(s => s.Peer.Network == service.Peer.Network) >= limits.MaxServicesPerNetwork)
            {
                return new(ExposeErrorCode.QuotaReached, $"network {service.Peer.Network} already exposes {limits.MaxServicesPerNetwork} services, the server's limit (Expose:MaxServicesPerNetwork)");
            }
            else if (_byPort.Count >= limits.MaxServices)
            {
                return new(ExposeErrorCode.QuotaReached, $"the server already exposes {limits.MaxServices} services, its limit (Expose:MaxServices)");
            }

            _byPort[service.PublicPort] = service;
            return null;
        }
    }

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
        }
    }

    /// <summary>The waiting visitor with this id, when the token is its own; it is no longer waiting afterwards (a token works once).</summary>
    public VisitorConnection? TakePending(ulong id, UInt128 token)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(id, out var visitor) || !TokensEqual(visitor.Token, token))
            {
                return null;
            }

            _pending.Remove(id);
            return visitor;
        }
    }

    /// <summary>Stops waiting for <paramref name="visitor"/>; false when it was no longer waiting (attached, or already removed).</summary>
    public bool RemovePending(VisitorConnection visitor)
    {
        lock (_gate)
        {
            return _pending.TryGetValue(visitor.Id, out var waiting) && ReferenceEquals(waiting, visitor) && _pending.Remove(visitor.Id);
        }
    }

    /// <summary>Compared in constant time, so the time of a refusal tells nothing about how much of a guess was right.</summary>
    private static bool TokensEqual(UInt128 expected, UInt128 actual)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(a, expected);
        BinaryPrimitives.WriteUInt128BigEndian(b, actual);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
