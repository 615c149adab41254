using Atlas.Backup.Artifacts;
using Atlas.Backup.Targets;

namespace Atlas.Backup.Running;

/// <summary>Dumps, restores and verifies one kind of target. Payloads are plain (compression and encryption are done around them).</summary>
public interface ITargetHandler
{
    TargetKind Kind { get; }

    Task<DumpFacts> DumpAsync(BackupTarget target, Stream payload, CancellationToken cancellationToken);

    /// <summary>Restores into the source (<paramref name="into"/> null) or into a new database named <paramref name="into"/>.</summary>
    Task<string> RestoreAsync(BackupTarget target, Func<Stream> openPayload, string? into, CancellationToken cancellationToken);

    /// <summary>Restores into scratch space, compares with the manifest and cleans up.</summary>
    Task<VerificationOutcome> VerifyAsync(BackupTarget target, BackupManifest manifest, Func<Stream> openPayload, CancellationToken cancellationToken);
}

/// <summary>The result of a verification: passed or not, and what was compared or what differed.</summary>
public sealed record VerificationOutcome(bool Passed, string Detail);
