using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Atlas.Gateway.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// Reads the gateway's outbound instruments of one host (its own meter factory, so parallel tests do not mix):
/// outcome counts, flood waits and the queue-depth gauge.
/// </summary>
internal sealed class OutboundMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private long _depth = -1;

    public OutboundMetrics(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "luka_outbound_queue_depth")
            {
                Interlocked.Exchange(ref _depth, value);
                return;
            }

            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $"|{tag.Key}={tag.Value}";
            }

            _counts.AddOrUpdate(key, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    /// <summary>luka_outbound_messages with outcome <paramref name="outcome"/>.</summary>
    public long Outcome(string outcome) => _counts.GetValueOrDefault($"luka_outbound_messages|outcome={outcome}");

    public long FloodWaits => _counts.GetValueOrDefault("telegram_flood_wait");

    /// <summary>The queue-depth gauge as observed now.</summary>
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
