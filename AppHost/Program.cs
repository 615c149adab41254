using Atlas.AppHost;
using Atlas.AppHost.Commands;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;

namespace Atlas.AppHost;

/// <summary>
/// The Atlas application model. An explicit class in a namespace (not top-level statements): test projects reference
/// this AppHost and the services together, and each one's <c>Program</c> must be told apart.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = AtlasOptions.Parse(args, out var usage);
        if (usage is not null)
        {
            Console.Out.WriteLine(usage);
            return 0;
        }

        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = options.AspireArgs, DisableDashboard = options.NoDashboard });
        var atlas = builder.AddAtlasHost(options);

        var redis = builder.AddAtlasRedis("redis", atlas);
        var postgres = builder.AddAtlasPostgres("postgres", atlas);
        var rabbitmq = builder.AddAtlasRabbitMQ("rabbitmq", atlas);

        if (!options.InfrastructureOnly)
        {
            var gatewaydb = postgres.AddDatabase("gatewaydb");
            var moderationdb = postgres.AddDatabase("moderationdb");
            var llmdb = postgres.AddDatabase("llmdb");
            var workflowdb = postgres.AddDatabase("workflowdb");
            var backupdb = postgres.AddDatabase("backupdb");

            var gatewayAdminKey = builder.AddGeneratedSecret("gateway-admin-key", atlas);

            var gateway = builder.AddAtlasService<Projects.Atlas_Gateway>("gateway", atlas)
                .WithInfrastructure(gatewaydb)
                .WithInfrastructure(redis)
                .WithInfrastructure(rabbitmq)
                .WithEnvironment("Gateway__AdminApiKey", gatewayAdminKey)
                .WithGatewayCommands(gatewayAdminKey);
            builder.AddTelegram(gateway, atlas);

            builder.AddAtlasService<Projects.Atlas_Moderation>("moderation", atlas)
                .WithInfrastructure(moderationdb)
                .WithInfrastructure(redis)
                .WithInfrastructure(rabbitmq)
                .WithModerationOps(builder, atlas);

            builder.AddAtlasService<Projects.Atlas_LlmRouter>("llmrouter", atlas)
                .WithInfrastructure(llmdb)
                .WithInfrastructure(redis)
                .WithInfrastructure(rabbitmq)
                .WithLlmProviders(builder, atlas);

            builder.AddAtlasService<Projects.Atlas_Workflow>("workflow", atlas)
                .WithInfrastructure(workflowdb)
                .WithInfrastructure(redis)
                .WithInfrastructure(rabbitmq)
                .WithCamunda(builder, atlas)
                .WithWorkflowOps(builder, atlas);

            builder.AddAtlasService<Projects.Atlas_Backup>("backup", atlas)
                .WithInfrastructure(backupdb)
                .WithInfrastructure(redis)
                .WithInfrastructure(rabbitmq)
                .WithBackupTargets(builder, atlas, [gatewaydb, moderationdb, llmdb, workflowdb]);
        }

        var app = builder.Build();
        using (StopDeadline.Arm(app, atlas))
        {
            await app.RunAsync();
        }

        atlas.Clean();
        return 0;
    }
}
