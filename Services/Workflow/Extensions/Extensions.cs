namespace Atlas.Workflow.Extensions;

internal static class Extensions
{
    /// <summary>Everything the workflow service registers; its bus consumers are listed in the AddAtlasBus call.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("workflowdb");
        builder.AddDatabaseMigrations<Program>();
        builder.AddRedisClient("redis");
        builder.AddAtlasBus();
    }
}
