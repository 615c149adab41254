using Atlas.AppHost;
using Atlas.AppHost.Audit;
using Atlas.AppHost.Chaos;
using Atlas.AppHost.Commands;
using Atlas.AppHost.Deploy;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;
using Atlas.AppHost.Monitoring;
using Atlas.AppHost.Ops;

namespace Atlas.AppHost;

/// <summary>
/// The Atlas application model. An explicit class in a namespace (not top-level statements): test projects reference
/// this AppHost and the services together, and each one's <c>Program</c> must be told apart.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (AuditCommandLine.TryParse(args, out var audit, out var auditUsage))
        {
            return await AuditExport.MainAsync(audit, auditUsage);
        }

        if (OpsCommandLine.TryParse(args, out var ops, out var opsUsage))
        {
            return await OpsEntry.MainAsync(ops, opsUsage);
        }

        var options = AtlasOptions.Parse(args, out var usage);
        if (usage is not null)
        {
            Console.Out.WriteLine(usage);
            return ReferenceEquals(usage, AtlasOptions.Usage) ? 0 : 2;
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
                .WithGatewayCommands(gatewayAdminKey)
                .WithUpgradePlaybook(builder, atlas);
            builder.AddTelegram(gateway, atlas, gatewayAdminKey);

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
                .WithSandboxOperator(builder)
                .WithWorkflowOps(builder, atlas);

            builder.AddAtlasService<Projects.Atlas_Backup>("backup", atlas)
                .WithInfrastructure(backupdb)
                .WithInfrastructure(redis)
                .WithInfrastructure(rabbitmq)
                .WithBackupTargets(builder, atlas, [gatewaydb, moderationdb, llmdb, workflowdb]);
            builder.AddChaosDrills(atlas);
        }

        if (options.WithPrometheus && options.PublishOutput is null)
        {
            builder.AddAtlasPrometheus(atlas);
        }

        var app = builder.Build();
        if (options.PublishOutput is { } output)
        {
            return await PublishAsync(app, atlas, output);
        }

        if (options.Chaos is { } scenario)
        {
            var code = await ChaosCommands.RunAsync(app, scenario);
            atlas.Clean();
            return code;
        }

        using (StopDeadline.Arm(app, atlas))
        {
            await app.RunAsync();
        }

        atlas.Clean();
        return 0;
    }

    /// <summary><c>publish --output</c>: Atlas's artifacts from the model, then Aspire's manifest publisher; prints each file's size.</summary>
    private static async Task<int> PublishAsync(DistributedApplication app, AtlasHostSettings atlas, string output)
    {
        var written = await DeployArtifacts.WriteAsync(app.Services, output, CancellationToken.None);
        await app.RunAsync();
        atlas.Clean();
        var manifest = Path.Combine(output, "aspire-manifest.json");
        var files = written.Append(manifest).Where(File.Exists).Select(f => new FileInfo(f)).ToList();
        foreach (var file in files)
        {
            Console.Out.WriteLine($"{file.Length,8:N0} B  {Path.GetRelativePath(output, file.FullName)}");
        }

        Console.Out.WriteLine($"{files.Sum(f => f.Length),8:N0} B  in {files.Count} files under {output}");
        return File.Exists(manifest) ? 0 : 1;
    }
}
