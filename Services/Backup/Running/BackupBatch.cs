using Atlas.Backup.Catalog;
using Atlas.Backup.Targets;

namespace Atlas.Backup.Running;

/// <summary>Backs up several targets one after another; one failure does not stop the others.</summary>
public static class BackupBatch
{
    public static async Task<BackupRun> RunAsync(BackupRunner runner, IReadOnlyList<BackupTarget> targets, string trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(targets);
        var backups = new List<BackupRecord>();
        var failures = new List<BackupFailure>();
        foreach (var target in targets)
        {
            try
            {
                backups.Add(await runner.BackUpAsync(target, trigger, cancellationToken).ConfigureAwait(false));
            }
            catch (BackupException exception)
            {
                failures.Add(new BackupFailure(target.Name, exception.Message));
            }
        }

        return new BackupRun(backups, failures);
    }
}

public sealed record BackupRun(IReadOnlyList<BackupRecord> Backups, IReadOnlyList<BackupFailure> Failures);

public sealed record BackupFailure(string Target, string Reason);
