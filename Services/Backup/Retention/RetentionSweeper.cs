using Atlas.Backup.Catalog;
using Atlas.Backup.Diagnostics;
using Atlas.Backup.Options;
using Atlas.Backup.Scheduling;
using Atlas.Backup.Storage;
using Atlas.Backup.Targets;
using Microsoft.Extensions.Options;

namespace Atlas.Backup.Retention;

/// <summary>Applies a target's retention policy: deletes the expired artifacts, their manifests and catalog rows.</summary>
public sealed class RetentionSweeper(
    BackupCatalog catalog,
    IBackupStorage storage,
    IOptions<ScheduleOptions> schedules,
    IOptions<BackupOptions> options,
    TimeProvider time,
    ILogger<RetentionSweeper> logger)
{
    public async Task<int> SweepAsync(BackupTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var policy = SchedulePlan.For(target, schedules.Value, options.Value.Profile).Retention;
        var backups = await catalog.ListAsync(target.Name, cancellationToken).ConfigureAwait(false);
        var expired = policy.SelectExpired(
            backups.Select(b => new RetainedBackup(b.Id, b.CompletedAt, b.VerificationStatus == BackupRecord.Passed)), time.GetUtcNow());
        foreach (var item in expired)
        {
            var record = backups.First(b => b.Id == item.Id);
            await storage.DeleteAsync(record.ArtifactName, cancellationToken).ConfigureAwait(false);
            await storage.DeleteAsync(record.ManifestName, cancellationToken).ConfigureAwait(false);
            await catalog.DeleteAsync(record.Id, cancellationToken).ConfigureAwait(false);
            BackupLog.Pruned(logger, record.Id, record.Target, record.CompletedAt);
        }

        return expired.Count;
    }
}
