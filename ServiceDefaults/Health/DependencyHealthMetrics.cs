using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atlas.ServiceDefaults.Health;

/// <summary>
/// The servers' readiness checks (Redis, PostgreSQL, RabbitMQ) as metrics, so Prometheus can alert on a lost dependency:
/// <c>atlas_dependency_up{dependency}</c> (1 healthy or degraded, 0 unhealthy) and
/// <c>atlas_dependency_check_failures_total{dependency}</c>. Health checks publish here every <see cref="Period"/>.
/// </summary>
internal sealed class DependencyHealthMetrics : IHealthCheckPublisher
{
    public const string MeterName = "Atlas.ServiceDefaults";

    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    /// <summary>The readiness checks published: the servers every service may use (the names /readyz reports them under).</summary>
    public static readonly IReadOnlySet<string> Servers = new HashSet<string>(StringComparer.Ordinal) { "redis", "postgres", "rabbitmq" };

    private readonly ConcurrentDictionary<string, int> _up = new(StringComparer.Ordinal);
    private readonly Counter<long> _failures;

    public DependencyHealthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "atlas_dependency_up",
            () => _up.Select(e => new Measurement<int>(e.Value, new KeyValuePair<string, object?>("dependency", e.Key))),
            description: "1 when the readiness check of the dependency passed the last time it ran, else 0.");
        _failures = meter.CreateCounter<long>("atlas_dependency_check_failures", description: "Readiness checks that found the dependency unhealthy.");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var (name, entry) in report.Entries)
        {
            var up = entry.Status == HealthStatus.Unhealthy ? 0 : 1;
            _up[name] = up;
            if (up == 0)
            {
                _failures.Add(1, new KeyValuePair<string, object?>("dependency", name));
            }
        }

        return Task.CompletedTask;
    }
}
