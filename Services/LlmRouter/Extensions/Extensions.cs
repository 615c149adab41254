namespace Atlas.LlmRouter.Extensions;

internal static class Extensions
{
    /// <summary>Everything the llmrouter service registers; its bus consumers are listed in the AddAtlasBus call.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("llmdb");
        builder.AddDatabaseMigrations<Program>();
        builder.AddRedisClient("redis");
        builder.AddAtlasBus();
    }
}
