using Atlas.Backup.Artifacts;
using Atlas.Backup.Catalog;
using Atlas.Backup.Configuration;
using Atlas.Backup.Consumers;
using Atlas.Backup.Diagnostics;
using Atlas.Backup.Options;
using Atlas.Backup.Postgres;
using Atlas.Backup.Redis;
using Atlas.Backup.Retention;
using Atlas.Backup.Running;
using Atlas.Backup.Scheduling;
using Atlas.Backup.Storage;
using Atlas.Backup.Targets;

namespace Atlas.Backup.Extensions;

internal static class Extensions
{
    /// <summary>Everything the backup service registers; its bus consumers are listed in the AddAtlasBus call.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("backupdb");
        builder.AddDatabaseMigrations<Program>();
        builder.AddOpsAudit("Backup:OpsApiKey");
        builder.AddRedisClient("redis");
        builder.AddAtlasBus(bus => bus.AddConsumer<BackupRequestedConsumer>());

        var services = builder.Services;
        services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<BackupMetrics>();
        services.AddSingleton<BackupTargets>();
        services.AddSingleton<EncryptionKeys>();
        services.AddSingleton<BackupCatalog>();
        services.AddSingleton<RequestLedger>();
        services.AddSingleton<TargetLocks>();
        services.AddSingleton<ITargetHandler, PostgresHandler>();
        services.AddSingleton<RdbArtifact>();
        services.AddSingleton<ITargetHandler, RedisHandler>();
        services.AddSingleton<ITargetHandler, ConfigurationHandler>();
        services.AddSingleton<IBackupStorage>(provider => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.Kind == "s3"
            ? ActivatorUtilities.CreateInstance<S3Storage>(provider)
            : ActivatorUtilities.CreateInstance<LocalFolderStorage>(provider));
        services.AddSingleton<BackupVerifier>();
        services.AddSingleton<BackupRunner>();
        services.AddSingleton<BackupRestorer>();
        services.AddSingleton<RetentionSweeper>();
        services.AddHostedService<BackupScheduler>();
        services.AddHostedService<VerificationScheduler>();
    }
}
