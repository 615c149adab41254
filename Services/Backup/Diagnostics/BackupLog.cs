namespace Atlas.Backup.Diagnostics;

/// <summary>The backup service's repeated log lines.</summary>
internal static partial class BackupLog
{
    [LoggerMessage(1, LogLevel.Information, "Backup {BackupId} of {Target} stored at {Location}: {StoredBytes} bytes in {Seconds:0.0} s")]
    public static partial void BackupStored(ILogger logger, Guid backupId, string target, string location, long storedBytes, double seconds);

    [LoggerMessage(2, LogLevel.Error, "Backup of {Target} failed: {Reason}")]
    public static partial void BackupFailed(ILogger logger, Exception exception, string target, string reason);

    [LoggerMessage(3, LogLevel.Information, "Verification of backup {BackupId} ({Target}) {Status}: {Detail}")]
    public static partial void Verified(ILogger logger, Guid backupId, string target, string status, string detail);

    [LoggerMessage(4, LogLevel.Warning, "Restore of backup {BackupId} ({Target}) into {Into} requested by {RequestedBy}")]
    public static partial void Restoring(ILogger logger, Guid backupId, string target, string into, string requestedBy);

    [LoggerMessage(5, LogLevel.Information, "Retention removed backup {BackupId} of {Target} taken at {CompletedAt:o}")]
    public static partial void Pruned(ILogger logger, Guid backupId, string target, DateTimeOffset completedAt);

    [LoggerMessage(6, LogLevel.Information, "Next backup of {Target} at {Next:o} (cron {Cron})")]
    public static partial void NextRun(ILogger logger, string target, DateTimeOffset next, string cron);

    [LoggerMessage(7, LogLevel.Information, "Catching up the missed backup of {Target} (last one {Last:o}, one was due at {Due:o})")]
    public static partial void CatchingUp(ILogger logger, string target, DateTimeOffset? last, DateTimeOffset due);

    [LoggerMessage(8, LogLevel.Error, "Scheduled work for {Target} failed")]
    public static partial void ScheduleFailed(ILogger logger, Exception exception, string target);

    [LoggerMessage(9, LogLevel.Warning, "Backup request {RequestId} for {Target} was already handled ({Status}); not repeated")]
    public static partial void DuplicateRequest(ILogger logger, Guid requestId, string target, string status);

    [LoggerMessage(10, LogLevel.Information, "Next verification of the newest {Target} backup at {Next:o} (cron {Cron})")]
    public static partial void NextVerification(ILogger logger, string target, DateTimeOffset next, string cron);

    [LoggerMessage(11, LogLevel.Warning, "Scheduled verification of {Target}: there is no backup to verify yet")]
    public static partial void NothingToVerify(ILogger logger, string target);
}
