namespace Atlas.Contracts.Backup;

/// <summary>A backup finished and was verified.</summary>
public sealed record BackupCompleted(Guid RequestId, string Target, string Location, long SizeBytes, DateTimeOffset CompletedAt);
