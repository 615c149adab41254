namespace Atlas.Backup.Extensions;

internal static class Extensions
{
    /// <summary>Everything the backup service registers; its bus consumers are listed in the AddAtlasBus call.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("backupdb");
        builder.AddDatabaseMigrations<Program>();
        builder.AddAtlasBus();
    }
}
