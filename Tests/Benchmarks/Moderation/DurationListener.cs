using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Atlas.Benchmarks.Moderation;

/// <summary>
/// Where the time goes inside the services, from their own histograms (every host runs in this process): Moderation's
/// decision time, and MassTransit's receive (queue wait not included) and consume durations per message type.
/// </summary>
internal sealed class DurationListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _values = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public DurationListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is "moderation_decision" or "moderation_decision_stage" or "moderation_write_group" or "messaging.masstransit.consume.duration" or "messaging.masstransit.delivery.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (!_recording)
            {
                return;
            }

            var type = "";
            foreach (var tag in tags)
            {
                if (tag.Key is "messaging.masstransit.message_type" or "stage")
                {
                    type = " " + tag.Value;
                }
            }

            var unit = instrument.Unit == "s" ? 1000.0 : 1.0;
            _values.GetOrAdd(instrument.Name + type, _ => new ConcurrentQueue<double>()).Enqueue(value * unit);
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (_recording)
            {
                _values.GetOrAdd(instrument.Name + " (a count, not ms)", _ => new ConcurrentQueue<double>()).Enqueue(value);
            }
        });
        _listener.Start();
    }

    /// <summary>Records from now on, forgetting the warm-up.</summary>
    public void Start()
    {
        _values.Clear();
        _recording = true;
    }

    public IEnumerable<string> Report()
    {
        foreach (var (name, queue) in _values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var sorted = queue.Order().ToArray();
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {name,-70} {sorted.Length,6}  p50 {At(sorted, 0.5),8:0.00} ms  p99 {At(sorted, 0.99),8:0.00} ms");
        }
    }

    public void Dispose() => _listener.Dispose();

    private static double At(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
