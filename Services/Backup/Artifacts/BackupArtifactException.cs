namespace Atlas.Backup.Artifacts;

/// <summary>An artifact cannot be read: corrupt, truncated, or sealed with a key this service does not hold.</summary>
public sealed class BackupArtifactException(string message, Exception? inner = null) : Exception(message, inner);
