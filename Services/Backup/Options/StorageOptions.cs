using System.ComponentModel.DataAnnotations;

namespace Atlas.Backup.Options;

/// <summary>The <c>Backup:Storage</c> section: where artifacts and manifests are kept.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Backup:Storage";

    /// <summary><c>local</c> (a folder) or <c>s3</c> (an S3-compatible bucket).</summary>
    [RegularExpression("^(local|s3)$", ErrorMessage = "Backup:Storage:Kind must be 'local' or 's3'.")]
    public string Kind { get; init; } = "local";

    /// <summary>The folder for <c>local</c> storage; with <c>s3</c>, where artifacts are staged (default: a temp folder).</summary>
    public string? Path { get; init; }

    public S3StorageOptions S3 { get; init; } = new();

    public string StagingPath => System.IO.Path.Combine(
        Path ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "atlas-backup"), ".staging");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind == "local" && string.IsNullOrWhiteSpace(Path))
        {
            yield return new ValidationResult("Backup:Storage:Path must name the folder that keeps backups (local storage).", [nameof(Path)]);
        }

        if (Kind == "s3" && (string.IsNullOrWhiteSpace(S3.Bucket) || string.IsNullOrWhiteSpace(S3.AccessKey) || string.IsNullOrWhiteSpace(S3.SecretKey)))
        {
            yield return new ValidationResult("Backup:Storage:S3:Bucket, AccessKey and SecretKey must be set for S3 storage.", [nameof(S3)]);
        }
    }
}

/// <summary>An S3 or S3-compatible bucket.</summary>
public sealed class S3StorageOptions
{
    /// <summary>Endpoint of an S3-compatible service (MinIO, the Sandbox); empty for AWS itself.</summary>
    public string? ServiceUrl { get; init; }

    public string Region { get; init; } = "us-east-1";

    public string Bucket { get; init; } = "";

    public string Prefix { get; init; } = "atlas-backups/";

    public string AccessKey { get; init; } = "";

    public string SecretKey { get; init; } = "";

    /// <summary>Artifacts larger than this go up in parts.</summary>
    public long MultipartThresholdBytes { get; init; } = 16L << 20;
}
