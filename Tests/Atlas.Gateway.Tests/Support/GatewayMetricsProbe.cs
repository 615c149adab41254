using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Atlas.Gateway.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// Reads the instruments of one gateway instance: meter <c>Atlas.Gateway</c> from that host's IMeterFactory only, so
/// tests running in parallel do not see each other's counts. Counters add up by instrument and their one tag value
/// (type, reason, handler, outcome); integer histograms keep their number of recordings and largest value; the outbound queue-depth gauge is read when asked for.
/// </summary>
public sealed class GatewayMetricsProbe : IDisposable
{
    private const string QueueDepthGauge = "luka_outbound_queue_depth";
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tag), long> _counts = new();
    private readonly ConcurrentDictionary<string, long> _recordings = new();
    private readonly ConcurrentDictionary<string, long> _maxima = new();
    private long _depth = -1;

    public GatewayMetricsProbe(IServiceProvider services)
    {
        var scope = services.GetRequiredService<IMeterFactory>();
        _ = services.GetRequiredService<GatewayMetrics>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == QueueDepthGauge)
            {
                Interlocked.Exchange(ref _depth, value);
                return;
            }

            if (instrument is Histogram<long>)
            {
                _recordings.AddOrUpdate(instrument.Name, 1, (_, count) => count + 1);
                _maxima.AddOrUpdate(instrument.Name, value, (_, max) => Math.Max(max, value));
            }

            var tag = tags.Length > 0 ? tags[0].Value?.ToString() ?? "" : "";
            _counts.AddOrUpdate((instrument.Name, tag), value, (_, total) => total + value);
        });
        _listener.Start();
    }

    /// <summary>The total of counter <paramref name="instrument"/> with tag value <paramref name="tag"/> ("" for an untagged one).</summary>
    public long Count(string instrument, string tag) => _counts.TryGetValue((instrument, tag), out var value) ? value : 0;

    /// <summary>How many values integer histogram <paramref name="instrument"/> recorded.</summary>
    public long Recordings(string instrument) => _recordings.GetValueOrDefault(instrument);

    /// <summary>The largest value integer histogram <paramref name="instrument"/> recorded (0 before any).</summary>
    public long Max(string instrument) => _maxima.GetValueOrDefault(instrument);

    public long Dropped(string reason) => Count("luka_updates_dropped", reason);

    public long Succeeded(string handler) => Count("luka_handlers_success", handler);

    /// <summary>luka_outbound_messages with outcome <paramref name="outcome"/> (sent, retried, parked, failed, duplicate).</summary>
    public long Outcome(string outcome) => Count("luka_outbound_messages", outcome);

    public long FloodWaits => Count("telegram_flood_wait", "");

    /// <summary>The queue-depth gauge as observed now (-1 before the sender has reported one).</summary>
    public long QueueDepth
    {
        get
        {
            _listener.RecordObservableInstruments();
            return Interlocked.Read(ref _depth);
        }
    }

    public void Dispose() => _listener.Dispose();
}
