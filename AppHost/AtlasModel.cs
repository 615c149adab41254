using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;

namespace Atlas.AppHost;

/// <summary>The Atlas application model: its infrastructure and its services, their references and what they wait for.</summary>
public static class AtlasModel
{
    /// <summary>The five services' resource names, in the order they are declared.</summary>
    public static readonly IReadOnlyList<string> Services = ["gateway", "moderation", "llmrouter", "workflow", "backup"];

    /// <summary>Redis, PostgreSQL and RabbitMQ only (what the test runs share).</summary>
    public static (RedisResource Redis, PostgresServerResource Postgres, RabbitMqResource RabbitMq) AddInfrastructure(this DistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return (builder.AddRedis("redis"), builder.AddPostgres("postgres"), builder.AddRabbitMQ("rabbitmq"));
    }

    /// <summary>The whole stack.</summary>
    public static DistributedApplicationBuilder AddAtlas(this DistributedApplicationBuilder builder)
    {
        var (redis, postgres, rabbitmq) = builder.AddInfrastructure();

        builder.AddProject("gateway", "Atlas.Gateway").WithDatabase(postgres, "gatewaydb").WithInfrastructure(redis, rabbitmq);
        builder.AddProject("moderation", "Atlas.Moderation").WithDatabase(postgres, "moderationdb").WithInfrastructure(redis, rabbitmq);
        builder.AddProject("llmrouter", "Atlas.LlmRouter").WithDatabase(postgres, "llmdb").WithInfrastructure(redis, rabbitmq);
        builder.AddProject("workflow", "Atlas.Workflow").WithDatabase(postgres, "workflowdb").WithInfrastructure(redis, rabbitmq);
        builder.AddProject("backup", "Atlas.Backup").WithDatabase(postgres, "backupdb").WithInfrastructure(null, rabbitmq);
        return builder;
    }

    private static ProjectResource WithDatabase(this ProjectResource project, PostgresServerResource postgres, string databaseName)
    {
        var database = postgres.AddDatabase(databaseName);
        return project.WithReference(database).WaitFor(database);
    }

    private static ProjectResource WithInfrastructure(this ProjectResource project, RedisResource? redis, RabbitMqResource rabbitmq)
    {
        if (redis is not null)
        {
            project.WithReference(redis).WaitFor(redis);
        }

        return project.WithReference(rabbitmq).WaitFor(rabbitmq);
    }
}
