using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Punch.Server.Events;
using Punch.Server.Expose;
using Punch.Server.Relay;
using Punch.Server.Rendezvous;
using Punch.Server.Telemetry;
using Punch.Server.Udp;

namespace Punch.Bench;

/// <summary>The server's UDP parts wired by hand, with sends and events discarded: what a benchmark measures is the handling alone.</summary>
internal sealed class Harness
{
    public Harness(RendezvousOptions options, RelayOptions? relayOptions = null)
    {
        // The server's own reader of its meter listens, as in the server (OpenTelemetry does not: no exporter here).
        // The stats keep the meter for the harness's whole life (one per benchmark process).
#pragma warning disable CA2000
        var meter = new ServerMeter(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
#pragma warning restore CA2000
        Stats = new RendezvousStats(meter, Options.Create(new TelemetryOptions()), new EventStats(meter));
        RelayStats = new RelayStats(meter);
        var endpoint = new RendezvousEndpoint();
        var keys = new NetworkKeys(Options.Create(new NetworksOptions()));
        var proof = new AddressProof(TimeProvider.System);
        Relay = new SessionRelay(Options.Create(relayOptions ?? new RelayOptions()), Options.Create(options), Sink, Stats, TimeProvider.System, endpoint, proof, NullLogger<SessionRelay>.Instance);
        Handler = new RendezvousHandler(Options.Create(options), Sink, Stats, TimeProvider.System, endpoint, keys, new RequestAuthenticator(keys), Relay,
            new BindingResponder(new BindingListeners(), Stats, endpoint), proof, new ExposeEndpoint(Options.Create(new ExposeOptions())), NullLogger<RendezvousHandler>.Instance);
        Forwarder = new RelayForwarder(Relay, RelayStats, Stats);
    }

    public RendezvousStats Stats { get; }
    public RelayStats RelayStats { get; }
    public DiscardingSink Sink { get; } = new();
    public DiscardingSender Sender { get; } = new();
    public SessionRelay Relay { get; }
    public RendezvousHandler Handler { get; }
    public RelayForwarder Forwarder { get; }

    public sealed class DiscardingSender : IRawDatagramSender
    {
        public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
        {
        }

        public void Send(ReadOnlySpan<byte> datagram, SocketAddress to)
        {
        }
    }

    public sealed class DiscardingSink : IPunchEventSink
    {
        public bool TryPublish(PunchEvent punchEvent) => true;
    }
}
