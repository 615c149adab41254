using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Atlas.Backup.Diagnostics;

/// <summary>
/// The backup service's instruments. Prometheus names: <c>backup_last_success_timestamp_seconds{target}</c>,
/// <c>backup_interval_seconds{target}</c> (for the stale alert), <c>backup_duration_seconds</c>, <c>backup_size_bytes</c>,
/// <c>backup_failures_total</c>, <c>backup_verification_status{target}</c> (1 passed, 0 failed).
/// </summary>
public sealed class BackupMetrics
{
    public const string MeterName = "Atlas.Backup";
    private readonly ConcurrentDictionary<string, double> _lastSuccess = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _interval = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _size = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _verification = new(StringComparer.Ordinal);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;

    public BackupMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("backup_last_success_timestamp_seconds", () => Observe(_lastSuccess),
            description: "Unix time of the last successful backup, by target.");
        meter.CreateObservableGauge("backup_interval_seconds", () => Observe(_interval),
            description: "The scheduled interval between backups, by target.");
        meter.CreateObservableGauge("backup_size_bytes", () => Observe(_size),
            description: "Stored size of the last successful backup, by target.");
        meter.CreateObservableGauge("backup_verification_status", () => Observe(_verification),
            description: "1 when the latest verification of a target's backup passed, 0 when it failed.");
        _duration = meter.CreateHistogram<double>("backup_duration_seconds", description: "Time to take one backup, by target.");
        _failures = meter.CreateCounter<long>("backup_failures", description: "Backups that failed, by target.");
    }

    public void Succeeded(string target, DateTimeOffset at, TimeSpan duration, long sizeBytes)
    {
        _lastSuccess[target] = at.ToUnixTimeMilliseconds() / 1000.0;
        _size[target] = sizeBytes;
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("target", target));
    }

    /// <summary>Seeds the last-success gauge from the catalog at start, so a restart does not look like a stale backup.</summary>
    public void Seed(string target, DateTimeOffset at) => _lastSuccess.TryAdd(target, at.ToUnixTimeMilliseconds() / 1000.0);

    public void Failed(string target) => _failures.Add(1, new KeyValuePair<string, object?>("target", target));

    public void Verified(string target, bool passed) => _verification[target] = passed ? 1 : 0;

    public void Scheduled(string target, TimeSpan interval) => _interval[target] = interval.TotalSeconds;

    private static IEnumerable<Measurement<double>> Observe<T>(ConcurrentDictionary<string, T> values) where T : IConvertible =>
        values.Select(v => new Measurement<double>(v.Value.ToDouble(null), new KeyValuePair<string, object?>("target", v.Key)));
}
