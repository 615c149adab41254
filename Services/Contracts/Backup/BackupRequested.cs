namespace Atlas.Contracts.Backup;

/// <summary>Asks Backup to back up one target now (<c>postgres</c>, <c>redis</c> or <c>all</c>).</summary>
public sealed record BackupRequested(Guid RequestId, string Target, string RequestedBy);
