namespace Atlas.Backup.Targets;

/// <summary>What can be backed up.</summary>
public enum TargetKind
{
    Postgres,
    Redis,
    Configuration,
}

/// <summary>One target, named like its connection string (<c>gatewaydb</c>, <c>redis</c>) or <c>configuration</c>.</summary>
public sealed record BackupTarget(string Name, TargetKind Kind, string ConnectionString)
{
    public const string ConfigurationName = "configuration";
}
