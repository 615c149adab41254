using Atlas.Backup.Artifacts;
using Atlas.Backup.Catalog;
using Atlas.Backup.Diagnostics;
using Atlas.Backup.Storage;
using Atlas.Backup.Targets;

namespace Atlas.Backup.Running;

/// <summary>
/// Restores a chosen backup into its source or into a new database. The artifact's checksum is checked first; a
/// restore into the source is preceded by an emergency backup of what is there now, so it can be undone.
/// </summary>
public sealed class BackupRestorer(
    BackupTargets targets,
    IEnumerable<ITargetHandler> handlers,
    IBackupStorage storage,
    EncryptionKeys keys,
    BackupRunner runner,
    TargetLocks locks,
    TimeProvider time,
    ILogger<BackupRestorer> logger)
{
    /// <summary>Restores; <paramref name="into"/> null means the source. Throws <see cref="BackupException"/> when it cannot.</summary>
    public async Task<RestoreResult> RestoreAsync(BackupRecord record, string? into, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!targets.TryGet(record.Target, out var target))
        {
            throw new BackupException($"The target {record.Target} is not configured here, so the backup has nowhere to go.");
        }

        BackupLog.Restoring(logger, record.Id, record.Target, into ?? "its source", requestedBy);
        var started = time.GetTimestamp();
        using (await locks.AcquireAsync(target.Name, cancellationToken).ConfigureAwait(false))
        {
            Guid? safetyBackup = null;
            try
            {
                using var copy = await storage.FetchAsync(record.ArtifactName, cancellationToken).ConfigureAwait(false);
                await ArtifactReader.VerifyChecksumAsync(copy.Path, record.Sha256, cancellationToken).ConfigureAwait(false);
                if (into is null)
                {
                    safetyBackup = (await runner.TakeLockedAsync(target, "pre-restore", cancellationToken).ConfigureAwait(false)).Id;
                }

                var handler = handlers.Single(h => h.Kind == target.Kind);
                var destination = await handler.RestoreAsync(target, () => ArtifactReader.OpenPayload(copy.Path, keys), into, cancellationToken).ConfigureAwait(false);
                return new RestoreResult(record.Id, destination, safetyBackup, time.GetElapsedTime(started).TotalSeconds);
            }
            catch (Exception exception) when (exception is not OperationCanceledException and not BackupException)
            {
                throw new BackupException($"The restore of backup {record.Id} failed: {exception.Message}", exception);
            }
        }
    }
}

/// <summary>Where a backup was restored, the emergency backup taken first (restores into the source), and how long it took.</summary>
public sealed record RestoreResult(Guid BackupId, string RestoredInto, Guid? EmergencyBackupId, double Seconds);
