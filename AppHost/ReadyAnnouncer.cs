using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.AppHost;

/// <summary>
/// Says once, in the console, when every resource the AppHost runs (servers, databases, services, the Sandbox) is running and healthy, and how long that took since the AppHost process started: the cold start figure.
/// Until then, every <see cref="IntervalKey"/> seconds, it names the resources still awaited and says why for each.
/// </summary>
internal sealed class ReadyAnnouncer(IServiceProvider services, IConfiguration configuration, ILogger<ReadyAnnouncer> logger) : BackgroundService
{
    /// <summary>How often the console names what is still awaited, and why (seconds; 60 unless set).</summary>
    public const string IntervalKey = "AppHost:NotReadyReportSeconds";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        var waits = model.Resources.Where(Runs)
            .ToDictionary(r => r.Name, r => notifications.WaitForResourceHealthyAsync(r.Name, stoppingToken));
        var all = Task.WhenAll(waits.Values);
        var latest = new ConcurrentDictionary<string, CustomResourceSnapshot>(StringComparer.Ordinal);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watching = WatchStatesAsync(notifications, latest, watch.Token);
        try
        {
            // Every minute without all of them healthy, the console names the ones still awaited, and why.
            var interval = TimeSpan.FromSeconds(configuration.GetValue(IntervalKey, 60.0));
            while (!all.IsCompleted)
            {
                await Task.WhenAny(all, Task.Delay(interval, stoppingToken)).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                if (!all.IsCompleted)
                {
                    var pending = waits.Where(w => !w.Value.IsCompleted).Select(w => w.Key).ToList();
                    AppHostLog.StillWaiting(logger, string.Join(", ", pending), (DateTime.UtcNow - started).TotalSeconds);
                    foreach (var resource in model.Resources.Where(r => pending.Contains(r.Name)))
                    {
                        await DescribeAsync(resource, latest, stoppingToken).ConfigureAwait(false);
                    }
                }
            }

            await all.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            await watch.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(false);
        }

        AppHostLog.AllHealthy(logger, waits.Count, (DateTime.UtcNow - started).TotalSeconds);
    }

    // Why a resource is not healthy yet, for whoever reads the console (or a test's failure message): its state, the
    // health checks that fail and what they say, and the last lines of its own console (a server that cannot bind
    // its port says so there).
    private async Task DescribeAsync(IResource resource, ConcurrentDictionary<string, CustomResourceSnapshot> latest, CancellationToken stoppingToken)
    {
        var state = latest.TryGetValue(resource.Name, out var snapshot) ? snapshot : null;
        var failing = state is null ? "" : string.Join("; ", state.HealthReports
            .Where(r => r.Status != HealthStatus.Healthy)
            .Select(r => $"{r.Name}: {r.Status?.ToString() ?? "not run yet"}{(r.Description is { Length: > 0 } d ? " (" + d + ")" : "")}"));
        var lines = new Queue<string>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var loggers = services.GetRequiredService<ResourceLoggerService>();
            await foreach (var batch in loggers.GetAllAsync(resource).WithCancellation(deadline.Token).ConfigureAwait(false))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    if (lines.Count > ConsoleLines)
                    {
                        lines.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // What was read within the time is shown.
        }

        AppHostLog.NotHealthyYet(
            logger, resource.Name, state?.State?.Text ?? "no state yet", state?.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", state?.HealthStatus?.ToString() ?? "unknown",
            failing.Length > 0 ? failing : "none reported", lines.Count == 0 ? "(none)" : "\n  " + string.Join("\n  ", lines));
    }

    private static async Task WatchStatesAsync(
        ResourceNotificationService notifications, ConcurrentDictionary<string, CustomResourceSnapshot> latest, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                latest[change.Resource.Name] = change.Snapshot;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // All are healthy, or the AppHost is stopping.
        }
    }

    private const int ConsoleLines = 20;

    // What the AppHost starts and can tell healthy (servers, databases, services, the Sandbox): each has a health check.
    // Parameters and given connection strings have no state to wait for, and what Aspire adds for itself (the
    // dashboard, the hidden project rebuilders) has no health check.
    private static bool Runs(IResource resource) => resource.Annotations.OfType<HealthCheckAnnotation>().Any();
}
