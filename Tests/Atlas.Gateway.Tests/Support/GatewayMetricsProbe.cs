using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Atlas.Gateway.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// Adds up the counters of one gateway instance (meter <c>Atlas.Gateway</c> from that host's IMeterFactory only, so
/// tests running in parallel do not see each other's counts), by instrument and one tag value.
/// </summary>
public sealed class GatewayMetricsProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tag), long> _counts = new();

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
            var tag = tags.Length > 0 ? tags[0].Value?.ToString() ?? "" : "";
            _counts.AddOrUpdate((instrument.Name, tag), value, (_, total) => total + value);
        });
        _listener.Start();
    }

    /// <summary>The total of counter <paramref name="instrument"/> with tag value <paramref name="tag"/> (e.g. reason, handler).</summary>
    public long Count(string instrument, string tag) => _counts.TryGetValue((instrument, tag), out var value) ? value : 0;

    public long Dropped(string reason) => Count("luka_updates_dropped", reason);

    public long Succeeded(string handler) => Count("luka_handlers_success", handler);

    public void Dispose() => _listener.Dispose();
}
