using System.Text.Json;
using Atlas.Backup.Artifacts;
using Atlas.Backup.Catalog;
using Atlas.Backup.Diagnostics;
using Atlas.Backup.Options;
using Atlas.Backup.Storage;
using Atlas.Backup.Targets;
using Microsoft.Extensions.Options;

namespace Atlas.Backup.Running;

/// <summary>Takes one backup of one target: dump, compress, encrypt, store, manifest, catalog; then verifies it.</summary>
public sealed class BackupRunner(
    IEnumerable<ITargetHandler> handlers,
    IBackupStorage storage,
    BackupCatalog catalog,
    EncryptionKeys keys,
    BackupVerifier verifier,
    Retention.RetentionSweeper sweeper,
    TargetLocks locks,
    BackupMetrics metrics,
    IOptions<BackupOptions> options,
    IOptions<StorageOptions> storageOptions,
    TimeProvider time,
    ILogger<BackupRunner> logger)
{
    internal static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true };

    /// <summary>Backs up <paramref name="target"/> after any running backup or restore of it; throws <see cref="BackupException"/> on failure.</summary>
    public async Task<BackupRecord> BackUpAsync(BackupTarget target, string trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        BackupRecord record;
        using (await locks.AcquireAsync(target.Name, cancellationToken).ConfigureAwait(false))
        {
            record = await TakeLockedAsync(target, trigger, cancellationToken).ConfigureAwait(false);
        }

        if (options.Value.VerifyAfterBackup)
        {
            record = await verifier.VerifyAsync(record, "after-backup", cancellationToken).ConfigureAwait(false);
        }

        // Retention runs after each backup (and its verification), so the newest verified backup is known.
        using (await locks.AcquireAsync(target.Name, cancellationToken).ConfigureAwait(false))
        {
            await sweeper.SweepAsync(target, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    /// <summary>Takes the backup; the caller holds the target's lock.</summary>
    internal async Task<BackupRecord> TakeLockedAsync(BackupTarget target, string trigger, CancellationToken cancellationToken)
    {
        var handler = handlers.Single(h => h.Kind == target.Kind);
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var id = Guid.CreateVersion7(startedAt);
        var name = $"{target.Name}/{startedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{id:N}.atlasbak";
        Directory.CreateDirectory(storageOptions.Value.StagingPath);
        var staging = Path.Combine(storageOptions.Value.StagingPath, $"{id:N}.partial");
        try
        {
            DumpFacts facts;
            ArtifactFacts artifact;
            double dumpSeconds;
            await using (var writer = new ArtifactWriter(staging, keys))
            {
                facts = await handler.DumpAsync(target, writer.Payload, cancellationToken).ConfigureAwait(false);
                artifact = await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                dumpSeconds = time.GetElapsedTime(started).TotalSeconds;
            }

            var location = await storage.PutFileAsync(name, staging, cancellationToken).ConfigureAwait(false);
            var completedAt = time.GetUtcNow();
            var manifest = new BackupManifest
            {
                Id = id, Target = target.Name, Kind = target.Kind.ToString(), ArtifactName = name, Source = facts.Source,
                ServerVersion = facts.ServerVersion, ClientVersion = facts.ClientVersion, StartedAt = startedAt, CompletedAt = completedAt,
                DumpSeconds = dumpSeconds, TotalSeconds = time.GetElapsedTime(started).TotalSeconds, RawBytes = artifact.RawBytes,
                StoredBytes = artifact.StoredBytes, Sha256 = artifact.Sha256,
                Encryption = new EncryptionFacts(ArtifactFormat.Algorithm, keys.CurrentId, ArtifactFormat.DefaultChunkSize),
                Compression = ArtifactWriter.Compression, Tables = facts.Tables, Redis = facts.Redis, ConfigurationEntries = facts.ConfigurationEntries,
            };
            var record = new BackupRecord(id, target.Name, manifest.Kind, storage.Kind, location, name, artifact.StoredBytes, artifact.Sha256,
                startedAt, completedAt, trigger, BackupRecord.Pending, null, null, manifest);
            await storage.PutTextAsync(record.ManifestName, JsonSerializer.Serialize(manifest, ManifestJson), cancellationToken).ConfigureAwait(false);
            await catalog.AddAsync(record, cancellationToken).ConfigureAwait(false);
            metrics.Succeeded(target.Name, completedAt, time.GetElapsedTime(started), artifact.StoredBytes);
            BackupLog.BackupStored(logger, id, target.Name, location, artifact.StoredBytes, manifest.TotalSeconds);
            return record;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.Failed(target.Name);
            BackupLog.BackupFailed(logger, exception, target.Name, exception.Message);
            throw new BackupException($"The backup of {target.Name} failed: {exception.Message}", exception);
        }
        finally
        {
            File.Delete(staging);
        }
    }
}

/// <summary>A backup, verification or restore could not be done; the message says why (no secrets).</summary>
public sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);
