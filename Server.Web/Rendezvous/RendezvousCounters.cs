using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Options;

namespace Punch.Server.Rendezvous;

public sealed record RendezvousCounters(
    long DatagramsReceived,
    long DatagramsSent,
    long MalformedDropped,
    long BindingRequests,
    long EventsDropped,
    LimitCounters Limits,
    /// <summary>Datagrams received by listening port (the port as text).</summary>
    IReadOnlyDictionary<string, long> ReceivedByPort,
    /// <summary>New registrations by network, the first <c>Telemetry:MaxNetworkLabels</c> networks by name, the rest as <c>other</c>.</summary>
    IReadOnlyDictionary<string, long> Registrations,
    long Introductions,
    /// <summary>Sessions by outcome: <c>direct</c>, <c>relayed</c> (the first path) or <c>failed</c>.</summary>
    IReadOnlyDictionary<string, long> Sessions);
