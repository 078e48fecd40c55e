namespace Punch.Server.Rendezvous;

public sealed record RendezvousCounters(
    long DatagramsReceived,
    long DatagramsSent,
    long MalformedDropped,
    long BindingRequests,
    long EventsDropped,
    LimitCounters Limits,
    // Datagrams received by listening port (the port as text).
    IReadOnlyDictionary<string, long> ReceivedByPort,
    // New registrations by network, the first <c>Telemetry:MaxNetworkLabels</c> networks by name, the rest as <c>other</c>.
    IReadOnlyDictionary<string, long> Registrations,
    long Introductions,
    // Sessions by outcome: <c>direct</c>, <c>relayed</c> (the first path) or <c>failed</c>.
    IReadOnlyDictionary<string, long> Sessions);
