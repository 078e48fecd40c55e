using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Punch.Server.Events;

/// <summary>
/// The bounded queue between the UDP receive loop and the event writer (Storage). Publishing never
/// waits: when the queue is full (the database is far behind) the new event is dropped and counted,
/// because stalling the receive loop would stall every peer.
/// </summary>
public sealed class EventChannel : IPunchEventSink
{
    private readonly Channel<PunchEvent> _channel;
    private readonly EventStats _stats;

    public EventChannel(IOptions<EventsOptions> options, EventStats stats)
    {
        _stats = stats;
        _channel = Channel.CreateBounded<PunchEvent>(new BoundedChannelOptions(options.Value.Capacity)
        {
            // Wait mode + TryWrite = "refuse the newest" without blocking; the caller learns it was dropped.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelReader<PunchEvent> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;

    public bool TryPublish(PunchEvent punchEvent)
    {
        if (_channel.Writer.TryWrite(punchEvent))
        {
            return true;
        }

        _stats.EventDropped();
        return false;
    }

    /// <summary>Stops accepting events (at shutdown) so the writer can drain to a known end.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
