using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Punch.Server.Events;

/// <summary>
/// Events that are committed (they carry their database id), on their way from the writer to the
/// broadcaster (Hubs). A full queue drops the live copy only: the database has the event
/// and the dashboard reloads from it.
/// </summary>
public sealed class StoredEventChannel(IOptions<EventsOptions> options)
{
    private readonly Channel<StoredEvent> _channel = Channel.CreateBounded<StoredEvent>(
        new BoundedChannelOptions(options.Value.BroadcastCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });

    private long _skipped;

    public ChannelReader<StoredEvent> Reader => _channel.Reader;

    public long Skipped => Interlocked.Read(ref _skipped);

    public bool TryEnqueue(StoredEvent stored)
    {
        if (_channel.Writer.TryWrite(stored))
        {
            return true;
        }

        Interlocked.Increment(ref _skipped);
        return false;
    }
}
