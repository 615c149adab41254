using Atlas.Backup.Artifacts;
using Atlas.Backup.Catalog;
using Atlas.Backup.Diagnostics;
using Atlas.Backup.Storage;
using Atlas.Backup.Targets;

namespace Atlas.Backup.Running;

/// <summary>
/// Proves a backup restores: checks the artifact's SHA-256 first, then restores it into scratch space and compares
/// with the manifest. The outcome is recorded in the catalog and the metrics, whether it passed or not.
/// </summary>
public sealed class BackupVerifier(
    BackupTargets targets,
    IEnumerable<ITargetHandler> handlers,
    IBackupStorage storage,
    BackupCatalog catalog,
    EncryptionKeys keys,
    BackupMetrics metrics,
    TimeProvider time,
    ILogger<BackupVerifier> logger)
{
    /// <summary>Verifies and records the outcome; <paramref name="trigger"/> says why (<c>after-backup</c>, <c>schedule</c>, <c>manual</c>).</summary>
    public async Task<BackupRecord> VerifyAsync(BackupRecord record, string trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var at = time.GetUtcNow();
        var outcome = await RunAsync(record, cancellationToken).ConfigureAwait(false);
        var status = outcome.Passed ? BackupRecord.Passed : BackupRecord.Failed;
        await catalog.SetVerificationAsync(record.Id, status, outcome.Detail, at, trigger, cancellationToken).ConfigureAwait(false);
        metrics.Verified(record.Target, outcome.Passed);
        BackupLog.Verified(logger, record.Id, record.Target, status, outcome.Detail);
        return record with { VerificationStatus = status, VerificationDetail = outcome.Detail, VerifiedAt = at };
    }

    /// <summary>The message with its causes ("Exception while reading from stream" alone says little).</summary>
    internal static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            parts.Add(current.Message);
        }

        return string.Join(" <- ", parts.Distinct());
    }

    private async Task<VerificationOutcome> RunAsync(BackupRecord record, CancellationToken cancellationToken)
    {
        if (!targets.TryGet(record.Target, out var target))
        {
            return new VerificationOutcome(false, $"The target {record.Target} is no longer configured, so there is nowhere to restore a scratch copy.");
        }

        try
        {
            using var copy = await storage.FetchAsync(record.ArtifactName, cancellationToken).ConfigureAwait(false);
            await ArtifactReader.VerifyChecksumAsync(copy.Path, record.Sha256, cancellationToken).ConfigureAwait(false);
            var handler = handlers.Single(h => h.Kind == target.Kind);
            return await handler.VerifyAsync(target, record.Manifest, () => ArtifactReader.OpenPayload(copy.Path, keys), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new VerificationOutcome(false, Describe(exception));
        }
    }
}
