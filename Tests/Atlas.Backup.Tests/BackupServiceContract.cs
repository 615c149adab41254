using Atlas.Backup.Tests.Support;
using Atlas.Testing;

namespace Atlas.Backup.Tests;

/// <summary>The backup service boots on real servers, serves the default endpoints and answers Ping on the bus.</summary>
public sealed class BackupServiceContract() : ServiceContractTests<Program>(
    "backup", "backupdb", ["postgres", "rabbitmq", "redis"], ["backup_catalog", "backup_requests"])
{
    protected override Task<IReadOnlyDictionary<string, string?>> GetOverridesAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Backup:EncryptionKey"] = BackupWorld.NewKey(),
            ["Backup:Storage:Path"] = Path.Combine(Path.GetTempPath(), "atlas-backup-contract"),
            ["Backup:Schedules:Enabled"] = "false",
        });
}
