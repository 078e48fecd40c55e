namespace Punch.Core.Streams;

/// <summary>Limits of one connection; every buffer and table is bounded by them.</summary>
public sealed record StreamConnectionOptions
{
    /// <summary>Protocol constants both sides assume before any credit frame (docs/stream-protocol.md §6).</summary>
    public const int InitialStreamWindow = 256 * 1024;
    public const long InitialConnectionWindow = 4 * 1024 * 1024;
    public const int InitialMaxStreams = 100;

    /// <summary>Bytes of one stream we buffer for the application ahead of its reads.</summary>
    public int StreamReceiveWindow { get; init; } = InitialStreamWindow;

    /// <summary>Bytes of one stream we hold until the peer acknowledges them (the write backpressure).</summary>
    public int StreamSendBuffer { get; init; } = 256 * 1024;

    /// <summary>Bytes of all streams together we buffer ahead of the application's reads.</summary>
    public long ConnectionReceiveWindow { get; init; } = 16 * 1024 * 1024;

    /// <summary>Streams the peer may have open at once.</summary>
    public int MaxIncomingStreams { get; init; } = 256;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>RFC 9000 §18.2 max_ack_delay default.</summary>
    public TimeSpan MaxAckDelay { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>A pre-shared secret mixed into the keys (<c>--secret</c>); empty for none.</summary>
    public ReadOnlyMemory<byte> Secret { get; init; }

    public string? Validate() => this switch
    {
        { StreamReceiveWindow: < InitialStreamWindow or > 16 * 1024 * 1024 } => $"StreamReceiveWindow must be {InitialStreamWindow} to 16 MiB bytes (got {StreamReceiveWindow}).",
        { StreamSendBuffer: < 4096 or > 16 * 1024 * 1024 } => $"StreamSendBuffer must be 4096 to 16 MiB bytes (got {StreamSendBuffer}).",
        { ConnectionReceiveWindow: < InitialConnectionWindow or > 1L << 30 } => $"ConnectionReceiveWindow must be {InitialConnectionWindow} to 1 GiB bytes (got {ConnectionReceiveWindow}).",
        { MaxIncomingStreams: < 1 or > 65_536 } => $"MaxIncomingStreams must be 1 to 65536 (got {MaxIncomingStreams}).",
        _ when HandshakeTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero => "HandshakeTimeout and IdleTimeout must be more than 0.",
        _ when KeepaliveInterval <= TimeSpan.Zero || KeepaliveInterval * 2 > IdleTimeout => "KeepaliveInterval must be more than 0 and at most half the IdleTimeout.",
        _ when MaxAckDelay < TimeSpan.Zero || MaxAckDelay > TimeSpan.FromSeconds(1) => "MaxAckDelay must be 0 to 1 s.",
        _ => null,
    };
}
