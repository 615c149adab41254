namespace Atlas.Contracts.Backup;

/// <summary>A backup did not finish; <see cref="Reason"/> says why (no secrets).</summary>
public sealed record BackupFailed(Guid RequestId, string Target, string Reason, DateTimeOffset FailedAt);
