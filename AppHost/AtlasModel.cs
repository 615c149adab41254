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

        var gateway = builder.AddProject("gateway", "Atlas.Gateway").WithDatabase(postgres, "gatewaydb").WithInfrastructure(redis, rabbitmq)
            .WithEnvironment("Gateway__AdminApiKey", data => data.Secret("gateway-admin-key"));
        builder.AddTelegram(gateway);
        builder.AddProject("moderation", "Atlas.Moderation").WithDatabase(postgres, "moderationdb").WithInfrastructure(redis, rabbitmq);
        builder.AddProject("llmrouter", "Atlas.LlmRouter").WithDatabase(postgres, "llmdb").WithInfrastructure(redis, rabbitmq);
        builder.AddProject("workflow", "Atlas.Workflow").WithDatabase(postgres, "workflowdb").WithInfrastructure(redis, rabbitmq);
        builder.AddProject("backup", "Atlas.Backup").WithDatabase(postgres, "backupdb").WithInfrastructure(null, rabbitmq);
        return builder;
    }

    /// <summary>
    /// Points the gateway at Telegram when a bot token is configured (<c>Parameters:telegram-bot-token</c>), else starts
    /// the Sandbox with a generated bot and points the gateway at it through service discovery.
    /// </summary>
    private static void AddTelegram(this DistributedApplicationBuilder builder, ProjectResource gateway)
    {
        var configuration = builder.Options.Configuration;
        var token = configuration["Parameters:telegram-bot-token"];
        if (!string.IsNullOrWhiteSpace(token))
        {
            gateway.WithEnvironment("Telegram__BotToken", token);
            if (configuration["Parameters:telegram-api-base-url"] is { Length: > 0 } apiBaseUrl)
            {
                gateway.WithEnvironment("Telegram__ApiBaseUrl", apiBaseUrl);
            }

            return;
        }

        var sandbox = builder.AddProject("sandbox", "Atlas.Sandbox")
            .WithEnvironment("Sandbox__Telegram__Bots__0__Token", SandboxBotToken)
            .WithEnvironment("Sandbox__Telegram__Bots__0__Username", SandboxBotUsername);
        gateway.WithReference(sandbox).WaitFor(sandbox)
            .WithEnvironment("Telegram__BotToken", SandboxBotToken)
            .WithEnvironment("Telegram__ApiBaseUrl", "http://sandbox");
    }

    /// <summary>The Sandbox bot's username (the chat page lists it).</summary>
    public const string SandboxBotUsername = "atlas_sandbox_bot";

    // Telegram's token shape (bot id, colon, 35 URL-safe characters), generated once per data folder.
    private static string SandboxBotToken(DataFolder data) => data.Secret("sandbox-bot-token", () =>
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        var id = System.Security.Cryptography.RandomNumberGenerator.GetInt32(100_000_000, 999_999_999);
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetString(alphabet, 35);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{id}:{secret}");
    });

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
