namespace Punch.Server.Dashboard;

/// <summary>The server's running totals at one moment: what the traffic chart draws the differences of.</summary>
public readonly record struct TrafficSample(DateTimeOffset At, long Registrations, long DatagramsReceived, long DatagramsSent, long DatagramsDropped, long RelayBytes)
{
    public static TrafficSample operator -(TrafficSample later, TrafficSample earlier) => new(
        later.At,
        later.Registrations - earlier.Registrations,
        later.DatagramsReceived - earlier.DatagramsReceived,
        later.DatagramsSent - earlier.DatagramsSent,
        later.DatagramsDropped - earlier.DatagramsDropped,
        later.RelayBytes - earlier.RelayBytes);
}
