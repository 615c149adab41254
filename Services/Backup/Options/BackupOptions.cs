using System.ComponentModel.DataAnnotations;
using Atlas.Backup.Artifacts;

namespace Atlas.Backup.Options;

/// <summary>The <c>Backup</c> section: keys, tools and verification.</summary>
public sealed class BackupOptions : IValidatableObject
{
    public const string Section = "Backup";

    /// <summary>Base64 of 32 random bytes; a secret (the AppHost generates one per data folder).</summary>
    public string EncryptionKey { get; init; } = "";

    /// <summary>Former keys, still accepted for reading old artifacts.</summary>
    public IList<string> RetiredKeys { get; init; } = [];

    /// <summary><c>default</c> or <c>production</c> (hourly database backups).</summary>
    [RegularExpression("^(default|production)$", ErrorMessage = "Backup:Profile must be 'default' or 'production'.")]
    public string Profile { get; init; } = "default";

    /// <summary>Restore every new backup into a scratch database and compare it, right after taking it.</summary>
    public bool VerifyAfterBackup { get; init; } = true;

    public string PgDumpPath { get; init; } = "pg_dump";

    public string PgRestorePath { get; init; } = "pg_restore";

    /// <summary>The Redis database that scratch restores go into (keys are prefixed and removed afterwards).</summary>
    [Range(0, 15)]
    public int RedisScratchDatabase { get; init; } = 1;

    /// <summary>How many keys a Redis verification compares value by value.</summary>
    [Range(1, 100_000)]
    public int RedisVerificationSamples { get; init; } = 200;

    /// <summary><c>logical</c> (SCAN + DUMP, works against a remote server) or <c>rdb</c> (BGSAVE and the RDB file; the server must be on this machine).</summary>
    [RegularExpression("^(logical|rdb)$", ErrorMessage = "Backup:RedisMode must be 'logical' or 'rdb'.")]
    public string RedisMode { get; init; } = "logical";

    /// <summary>The redis-server that loads an RDB artifact to restore or verify it.</summary>
    public string RedisServerPath { get; init; } = "redis-server";

    /// <summary>How long a BGSAVE may take.</summary>
    public TimeSpan RedisSaveTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!EncryptionKeys.IsValid(EncryptionKey))
        {
            yield return new ValidationResult(
                "Backup:EncryptionKey must be set to the base64 of exactly 32 random bytes (for example: openssl rand -base64 32).",
                [nameof(EncryptionKey)]);
        }

        for (var i = 0; i < RetiredKeys.Count; i++)
        {
            if (!EncryptionKeys.IsValid(RetiredKeys[i]))
            {
                yield return new ValidationResult($"Backup:RetiredKeys:{i} must be the base64 of exactly 32 bytes.", [nameof(RetiredKeys)]);
            }
        }
    }
}
