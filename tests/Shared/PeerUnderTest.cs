using System.Collections.Concurrent;
using System.Net;
using Punch.Peer;
using Punch.Peer.Output;

namespace Punch.Tests.Shared;

/// <summary>A peer run in-process on 127.0.0.1 (or [::1] for a server on [::1]), its events collected so a test can wait for them.</summary>
public sealed class PeerUnderTest
{
    private readonly ConcurrentQueue<PeerEvent> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly StringWriter _output = new();

    public PeerUnderTest(PeerRunOptions template)
    {
        Options = template with
        {
            // Loopback of the server's family: tests send only to 127.0.0.0/8 or [::1]. The dual-stack wildcard [::] is kept for a
            // test that needs both families on one socket; such a test must drop what is not loopback (PeerRunOptions.LoseTraffic).
            Bind = template.Bind.Address.Equals(IPAddress.IPv6Any) ? template.Bind
                : new IPEndPoint(template.Server.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0),
            Json = true,
            Output = TextWriter.Synchronized(_output),
            Error = TextWriter.Synchronized(_output),
            OnEvent = e =>
            {
                _events.Enqueue(e);
                _arrived.Release();
            },
        };
    }

    public PeerRunOptions Options { get; }

    /// <summary>A peer of the given server that pings fast (100 ms) so tests stay short.</summary>
    public static PeerUnderTest Fast(IPEndPoint server, string name, string? peer, int? count = null, TimeSpan? linger = null) => new(new PeerRunOptions
    {
        Server = server,
        Name = name,
        Peer = peer,
        Count = count,
        Interval = TimeSpan.FromMilliseconds(100),
        Linger = linger ?? TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(15),
    });
    public IReadOnlyList<PeerEvent> Events => [.. _events];
    public string OutputText => _output.ToString();

    public Task<int> ConnectAsync(CancellationToken cancellationToken = default) => Task.Run(() => new PunchPeer(Options).RunConnectAsync(cancellationToken));

    public Task<int> ListenAsync(CancellationToken cancellationToken) => Task.Run(() => new PunchPeer(Options).RunListenAsync(cancellationToken));

    public Task<int> ExposeAsync(Punch.Peer.Forwarding.ExposeSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() => new PunchPeer(Options).RunExposeAsync(settings, cancellationToken));

    public Task<int> ForwardAsync(Punch.Peer.Forwarding.ForwardSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() => new PunchPeer(Options).RunForwardAsync(settings, cancellationToken));

    public IEnumerable<T> All<T>() where T : PeerEvent => Events.OfType<T>();

    /// <summary>Sessions start on the relay when the server offers one; this waits for the punched path.</summary>
    public Task<PathEvent> WaitForDirectPathAsync(int timeoutSeconds = 15) =>
        WaitForAsync<PathEvent>(p => p.Kind == Punch.Core.Protocol.PathKind.Direct, timeoutSeconds);

    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, int timeoutSeconds = 15) where T : PeerEvent
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var match = _events.OfType<T>().FirstOrDefault(e => predicate?.Invoke(e) ?? true);
            if (match is not null)
            {
                return match;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no {typeof(T).Name} within {timeoutSeconds} s; output so far:\n{OutputText}");
            }

            await _arrived.WaitAsync(left);
        }
    }
}
