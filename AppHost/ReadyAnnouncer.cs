using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.AppHost;

/// <summary>
/// Says once, in the console, when every resource the AppHost runs (servers, databases, services, the Sandbox) is running and healthy, and how long that took since the AppHost process started: the cold start figure.
/// </summary>
internal sealed class ReadyAnnouncer(IServiceProvider services, ILogger<ReadyAnnouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        var waits = model.Resources.Where(Runs)
            .ToDictionary(r => r.Name, r => notifications.WaitForResourceHealthyAsync(r.Name, stoppingToken));
        var all = Task.WhenAll(waits.Values);
        try
        {
            // Every minute without all of them healthy, the console names the ones still awaited.
            while (!all.IsCompleted)
            {
                await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(1), stoppingToken)).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                if (!all.IsCompleted)
                {
                    var pending = waits.Where(w => !w.Value.IsCompleted).Select(w => w.Key);
                    AppHostLog.StillWaiting(logger, string.Join(", ", pending), (DateTime.UtcNow - started).TotalSeconds);
                }
            }

            await all.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        AppHostLog.AllHealthy(logger, waits.Count, (DateTime.UtcNow - started).TotalSeconds);
    }

    // What the AppHost starts and can tell healthy (servers, databases, services, the Sandbox): each has a health check.
    // Parameters and given connection strings have no state to wait for, and what Aspire adds for itself (the
    // dashboard, the hidden project rebuilders) has no health check.
    private static bool Runs(IResource resource) => resource.Annotations.OfType<HealthCheckAnnotation>().Any();
}
