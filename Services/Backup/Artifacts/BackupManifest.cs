namespace Atlas.Backup.Artifacts;

/// <summary>Everything known about one backup; written as JSON beside the artifact and kept in the catalog.</summary>
public sealed record BackupManifest
{
    public required Guid Id { get; init; }
    public required string Target { get; init; }
    public required string Kind { get; init; }
    public required string ArtifactName { get; init; }

    /// <summary>Where the data came from, without credentials (<c>host:port/database</c>).</summary>
    public required string Source { get; init; }
    public string? ServerVersion { get; init; }
    public string? ClientVersion { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
    public required double DumpSeconds { get; init; }
    public required double TotalSeconds { get; init; }
    public required long RawBytes { get; init; }
    public required long StoredBytes { get; init; }
    public required string Sha256 { get; init; }
    public required EncryptionFacts Encryption { get; init; }
    public required string Compression { get; init; }
    public IReadOnlyList<TableStat>? Tables { get; init; }
    public RedisFacts? Redis { get; init; }
    public int? ConfigurationEntries { get; init; }
}

public sealed record EncryptionFacts(string Algorithm, string KeyId, int ChunkBytes);

/// <summary>A table's row count and an order-independent checksum of its rows, taken in the dump's own snapshot.</summary>
public sealed record TableStat(string Schema, string Table, long Rows, string Checksum)
{
    public string QualifiedName => $"{Schema}.{Table}";
}

/// <summary>What a Redis backup held, and its form: <c>logical</c> (DUMP/PTTL export) or <c>rdb</c> (the server's snapshot file).</summary>
public sealed record RedisFacts(int Database, string Pattern, long Keys, string Format = RedisFacts.Logical)
{
    public const string Logical = "logical";
    public const string Rdb = "rdb";
}

/// <summary>What a target's dump tells the manifest besides sizes and hashes.</summary>
public sealed record DumpFacts(string Source, string? ServerVersion, string? ClientVersion)
{
    public IReadOnlyList<TableStat>? Tables { get; init; }
    public RedisFacts? Redis { get; init; }
    public int? ConfigurationEntries { get; init; }
}
