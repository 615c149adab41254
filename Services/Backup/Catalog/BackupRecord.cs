using Atlas.Backup.Artifacts;

namespace Atlas.Backup.Catalog;

/// <summary>One backup in the catalog.</summary>
public sealed record BackupRecord(
    Guid Id,
    string Target,
    string Kind,
    string Storage,
    string Location,
    string ArtifactName,
    long SizeBytes,
    string Sha256,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    string Trigger,
    string VerificationStatus,
    string? VerificationDetail,
    DateTimeOffset? VerifiedAt,
    BackupManifest Manifest)
{
    public const string Pending = "pending";
    public const string Passed = "passed";
    public const string Failed = "failed";

    public string ManifestName => ArtifactName + ".manifest.json";
}
