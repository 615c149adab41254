using Atlas.Backup.Catalog;
using Atlas.Backup.Diagnostics;
using Atlas.Backup.Options;
using Atlas.Backup.Running;
using Atlas.Backup.Targets;
using Microsoft.Extensions.Options;

namespace Atlas.Backup.Scheduling;

/// <summary>
/// Runs each target's backups on its cron schedule (UTC). A run that was due while the service was down is caught
/// up once at start; runs missed during a long stall collapse into one. Runs of one target never overlap (the
/// runner's per-target lock); different targets run side by side.
/// </summary>
public sealed class BackupScheduler(
    BackupTargets targets,
    BackupRunner runner,
    BackupCatalog catalog,
    BackupMetrics metrics,
    IOptions<ScheduleOptions> schedules,
    IOptions<BackupOptions> options,
    TimeProvider time,
    ILogger<BackupScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!schedules.Value.Enabled)
        {
            return;
        }

        var plans = targets.All.Select(t => (Target: t, Plan: SchedulePlan.For(t, schedules.Value, options.Value.Profile))).ToList();
        await Task.WhenAll(plans.Select(p => RunTargetAsync(p.Target, p.Plan, stoppingToken))).ConfigureAwait(false);
    }

    private async Task RunTargetAsync(BackupTarget target, SchedulePlan plan, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var loop = plan.Backups(time);
        var now = time.GetUtcNow();
        metrics.Scheduled(target.Name, plan.Interval(now));
        try
        {
            var backups = await catalog.ListAsync(target.Name, stoppingToken).ConfigureAwait(false);
            var latest = backups.Count > 0 ? backups[0] : null;
            if (latest is not null)
            {
                metrics.Seed(target.Name, latest.CompletedAt);
            }

            if (schedules.Value.CatchUpMissedRuns && loop.Previous(now) is { } due && (latest is null || latest.CompletedAt < due))
            {
                BackupLog.CatchingUp(logger, target.Name, latest?.CompletedAt, due);
                await RunOnceAsync(target, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            BackupLog.ScheduleFailed(logger, exception, target.Name);
        }

        // After a long stall, one run for everything missed.
        await loop.RunAsync(now, MissedOccurrences.RunAsOfLatest, next => BackupLog.NextRun(logger, target.Name, next, plan.Cron),
            cancellationToken => RunOnceAsync(target, cancellationToken), stoppingToken).ConfigureAwait(false);
    }

    private async Task RunOnceAsync(BackupTarget target, CancellationToken stoppingToken)
    {
        try
        {
            await runner.BackUpAsync(target, "schedule", stoppingToken).ConfigureAwait(false);
        }
        catch (BackupException exception)
        {
            // Already logged and counted by the runner; the next run is still scheduled.
            BackupLog.ScheduleFailed(logger, exception, target.Name);
        }
    }
}
