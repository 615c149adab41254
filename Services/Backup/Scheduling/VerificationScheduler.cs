using Atlas.Backup.Catalog;
using Atlas.Backup.Diagnostics;
using Atlas.Backup.Options;
using Atlas.Backup.Running;
using Atlas.Backup.Targets;
using Microsoft.Extensions.Options;

namespace Atlas.Backup.Scheduling;

/// <summary>
/// Re-verifies the newest backup of each target on its own cron (<c>VerifyCron</c>, UTC), apart from the backup
/// schedule: an artifact that rots at rest, or a key that went missing, shows up before the day it is needed. The
/// outcome is recorded like any verification (catalog, history, metric). Missed verifications are not caught up.
/// </summary>
public sealed class VerificationScheduler(
    BackupTargets targets,
    BackupCatalog catalog,
    BackupVerifier verifier,
    IOptions<ScheduleOptions> schedules,
    IOptions<BackupOptions> options,
    TimeProvider time,
    ILogger<VerificationScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!schedules.Value.Enabled)
        {
            return;
        }

        var plans = targets.All.Select(t => SchedulePlan.For(t, schedules.Value, options.Value.Profile)).Where(p => p.VerifyCron is not null).ToList();
        await Task.WhenAll(plans.Select(p => RunTargetAsync(p, stoppingToken))).ConfigureAwait(false);
    }

    private async Task RunTargetAsync(SchedulePlan plan, CancellationToken stoppingToken)
    {
        await Task.Yield();
        // After a stall, verify once now rather than once per missed slot.
        await plan.Verifications(time)!.RunAsync(time.GetUtcNow(), MissedOccurrences.RunNow, next => BackupLog.NextVerification(logger, plan.Target, next, plan.VerifyCron!),
            cancellationToken => VerifyNewestAsync(plan.Target, cancellationToken), stoppingToken).ConfigureAwait(false);
    }

    private async Task VerifyNewestAsync(string target, CancellationToken stoppingToken)
    {
        try
        {
            var backups = await catalog.ListAsync(target, stoppingToken).ConfigureAwait(false);
            if (backups.Count == 0)
            {
                BackupLog.NothingToVerify(logger, target);
                return;
            }

            await verifier.VerifyAsync(backups[0], "schedule", stoppingToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            BackupLog.ScheduleFailed(logger, exception, target);
        }
    }
}
