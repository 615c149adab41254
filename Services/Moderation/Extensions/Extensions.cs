namespace Atlas.Moderation.Extensions;

internal static class Extensions
{
    /// <summary>Everything the moderation service registers; its bus consumers are listed in the AddAtlasBus call.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("moderationdb");
        builder.AddDatabaseMigrations<Program>();
        builder.AddRedisClient("redis");
        builder.AddAtlasBus();
    }
}
