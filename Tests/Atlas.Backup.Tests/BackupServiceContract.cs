using Atlas.Testing;

namespace Atlas.Backup.Tests;

/// <summary>The backup service boots on real servers, serves the default endpoints and answers Ping on the bus.</summary>
public sealed class BackupServiceContract() : ServiceContractTests<Program>(
    "backup", "backupdb", ["postgres", "rabbitmq"], ["backup_catalog"]);
