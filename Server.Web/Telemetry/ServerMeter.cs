using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Punch.Server.Telemetry;

/// <summary>
/// The meter <see cref="Name"/> of this host (created through its <see cref="IMeterFactory"/>) and the
/// one in-process reader of it. Every counter the server keeps is an instrument of this meter; the
/// API, the dashboard and the tests read their totals here, while <c>/metrics</c> and OTLP read the
/// same measurements through OpenTelemetry. So there is one source of truth, the <c>Add</c> calls,
/// and two aggregations of it that agree by construction (both see every measurement).
/// <para>
/// Why a MeterListener rather than a second set of Interlocked fields: a second set is what drifts
/// (a counter bumped in one place and not the other). Why not ObservableCounters over fields: labelled
/// series (<c>port</c>, <c>reason</c>, <c>network</c>) would then need their own tables of fields.
/// The listener keeps a total per instrument and per value of its one label, nothing else.
/// </para>
/// </summary>
public sealed class ServerMeter : IDisposable
{
    public const string Name = "Punch.Server";

    /// <summary>The meter of the event store's counts (<c>punch.events.persisted</c>, pruning), made by the host's IMeterFactory.</summary>
    public const string StorageName = "Punch.Storage";

    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, InstrumentTotals> _totals = new();

    public ServerMeter(IMeterFactory meters)
    {
        Meter = meters.Create(Name);
        _listener = new MeterListener
        {
            // Only this host's meter: test processes run several hosts, each with a meter of this name.
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == Meter && instrument is Counter<long> or UpDownCounter<long> or Histogram<double>)
                {
                    listener.EnableMeasurementEvents(instrument, _totals.GetOrAdd(instrument, _ => new InstrumentTotals()));
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentTotals)state!).Add(value, tags));
        // A histogram's total here is its count of measurements (the API shows how many, /metrics the distribution).
        _listener.SetMeasurementEventCallback<double>(static (_, _, tags, state) => ((InstrumentTotals)state!).Add(1, tags));
        _listener.Start();
    }

    public Meter Meter { get; }

    /// <summary>Everything the instrument counted since start, over all its labels.</summary>
    public long Total(Instrument instrument) => _totals.TryGetValue(instrument, out var totals) ? totals.Total : 0;

    /// <summary>What the instrument counted with its label equal to <paramref name="labelValue"/>.</summary>
    public long Of(Instrument instrument, object labelValue) => _totals.TryGetValue(instrument, out var totals) ? totals.Of(labelValue) : 0;

    /// <summary>Every value of the instrument's label seen so far, with its count (bounded by the label's own cap).</summary>
    public IReadOnlyDictionary<string, long> ByLabel(Instrument instrument) =>
        _totals.TryGetValue(instrument, out var totals) ? totals.ByLabel() : new Dictionary<string, long>();

    public void Dispose() => _listener.Dispose();

    /// <summary>One instrument's running totals. Thread-safe; nothing allocated per measurement once a label value is known.</summary>
    private sealed class InstrumentTotals
    {
        private long _total;
        // Keyed by the label's value (a boxed port, an enum's name, a capped network name): the instruments of this
        // meter carry at most one label, and every label has a bounded set of values.
        private readonly ConcurrentDictionary<object, StrongBox> _byLabel = new();

        public long Total => Interlocked.Read(ref _total);

        public void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            Interlocked.Add(ref _total, value);
            if (tags.Length > 0 && tags[0].Value is { } label)
            {
                if (!_byLabel.TryGetValue(label, out var cell))
                {
                    cell = _byLabel.GetOrAdd(label, static _ => new StrongBox());
                }

                Interlocked.Add(ref cell.Value, value);
            }
        }

        public long Of(object label) => _byLabel.TryGetValue(label, out var cell) ? Interlocked.Read(ref cell.Value) : 0;

        public IReadOnlyDictionary<string, long> ByLabel() =>
            _byLabel.ToDictionary(pair => Convert.ToString(pair.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", pair => Interlocked.Read(ref pair.Value.Value));
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
