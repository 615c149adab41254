using System.Globalization;
using Atlas.AppHost.Audit;
using Atlas.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atlas.AppHost.Chaos;

/// <summary>
/// The chaos drills as dashboard commands, on the resource each one breaks: "Chaos: …" on the local servers, on every
/// service (kill -9) and on the Sandbox (the external systems' faults). Each runs a drill of <c>Atlas:Chaos:Seconds</c>
/// (default 30) in the AppHost, writes the report to the resource's console log and shows its summary as the result.
/// Only where the drill can act: with the Sandbox (no real Telegram) and on servers the AppHost runs itself.
/// </summary>
internal static class ChaosCommands
{
    // One drill at a time: two would blur each other's figures.
    private static readonly SemaphoreSlim Running = new(1, 1);

    public static void AddChaosDrills(this IDistributedApplicationBuilder builder, AtlasHostSettings settings)
    {
        if (builder.ExecutionContext.IsPublishMode || settings.Sandbox is not { } sandbox)
        {
            return;
        }

        var seconds = builder.Configuration.GetValue("Atlas:Chaos:Seconds", ChaosScenario.DefaultDuration.TotalSeconds);
        var duration = TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 3600));
        foreach (var (resource, scenario, display) in (ReadOnlySpan<(string, string, string)>)
            [("redis", ChaosScenario.RedisDown, "Chaos: Redis down"), ("postgres", ChaosScenario.PostgresRestart, "Chaos: PostgreSQL restart"),
             ("rabbitmq", ChaosScenario.RabbitMqCrash, "Chaos: RabbitMQ crash and restart")])
        {
            if (builder.Resources.FirstOrDefault(r => r.Name == resource) is ExecutableResource server and (LocalRedisResource or LocalPostgresResource or LocalRabbitMqResource))
            {
                builder.CreateResourceBuilder(server).WithDrill(new ChaosScenario(scenario, null, duration), display);
            }
        }

        foreach (var service in builder.Resources.OfType<ProjectResource>().Where(p => ChaosScenario.Services.Contains(p.Name)).ToList())
        {
            builder.CreateResourceBuilder(service).WithDrill(new ChaosScenario(ChaosScenario.Kill, service.Name, duration), "Chaos: kill -9");
        }

        foreach (var (scenario, display) in (ReadOnlySpan<(string, string)>)
            [(ChaosScenario.LlmDown, "Chaos: all LLM providers down"), (ChaosScenario.CamundaDown, "Chaos: Camunda down"),
             (ChaosScenario.Telegram429, "Chaos: Telegram answers 429"), (ChaosScenario.Telegram5xx, "Chaos: Telegram answers 5xx")])
        {
            sandbox.WithDrill(new ChaosScenario(scenario, null, duration), display);
        }
    }

    /// <summary>
    /// <c>chaos &lt;scenario&gt;</c> on the command line: starts this (ephemeral) stack, waits until every resource is
    /// healthy, runs the drill in it, prints the report and stops; 0 when it passed.
    /// </summary>
    public static async Task<int> RunAsync(DistributedApplication app, ChaosScenario scenario)
    {
        var stopping = app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        await app.StartAsync(stopping).ConfigureAwait(false);
        try
        {
            Console.Out.WriteLine($"chaos {scenario.Label}: waiting for the stack to be running and healthy");
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            startup.CancelAfter(TimeSpan.FromMinutes(10));
            await Task.WhenAll(app.Services.GetRequiredService<DistributedApplicationModel>().Resources
                .Where(r => r.Annotations.OfType<HealthCheckAnnotation>().Any())
                .Select(r => notifications.WaitForResourceHealthyAsync(r.Name, startup.Token))).ConfigureAwait(false);
            var report = await new ChaosDrill(app.Services, scenario, Console.Out.WriteLine).RunAsync(stopping).ConfigureAwait(false);
            Record(app.Services, AuditCaller.Cli, scenario, scenario.Service ?? "stack", report);
            return report.Passed ? 0 : 1;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Ctrl+C: the drill mended what it broke on its way out; no report.
            Console.Error.WriteLine($"chaos {scenario.Label}: interrupted");
            return 130;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static IResourceBuilder<T> WithDrill<T>(this IResourceBuilder<T> resource, ChaosScenario scenario, string displayName)
        where T : IResource =>
        resource.WithCommand("chaos-" + scenario.Name, displayName, context => ExecuteAsync(context, resource.Resource, scenario), new CommandOptions
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Chaos drill '{scenario.Label}' for {scenario.Duration.TotalSeconds:0} s with traffic through the Sandbox; the report goes to this resource's console log."),
            ConfirmationMessage = $"Run the chaos drill '{scenario.Label}'? It breaks {resource.Resource.Name} on purpose for {scenario.Duration.TotalSeconds:0} s.",
            IconName = "Fire",
            UpdateState = state => state.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });

    // A drill calls no ops API: it goes to the AppHost's own audit file, with its summary.
    private static void Record(IServiceProvider services, AuditCaller caller, ChaosScenario scenario, string target, ChaosReport report)
    {
        var file = new AppHostAuditFile(services.GetRequiredService<AtlasHostSettings>().Data.Root, TimeProvider.System);
        if (!file.Append(caller, $"chaos {scenario.Label}", target, report.Passed, report.Summary()))
        {
            ChaosLog.NotAudited(services.GetRequiredService<ILogger<ChaosReport>>(), scenario.Label);
        }
    }

    private static async Task<ExecuteCommandResult> ExecuteAsync(ExecuteCommandContext context, IResource target, ChaosScenario scenario)
    {
        if (!await Running.WaitAsync(TimeSpan.Zero, context.CancellationToken).ConfigureAwait(false))
        {
            return CommandResults.Failure("Another chaos drill is running; try again when it has finished.");
        }

        try
        {
            var log = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(target);
            var report = await new ChaosDrill(context.Services, scenario, line => ChaosLog.Line(log, line)).RunAsync(context.CancellationToken).ConfigureAwait(false);
            Record(context.Services, AuditCaller.Dashboard, scenario, target.Name, report);
            return report.Passed ? CommandResults.Success(report.Summary()) : CommandResults.Failure(report.Summary());
        }
        finally
        {
            Running.Release();
        }
    }
}

/// <summary>The drill's report lines in a resource's console log.</summary>
internal static partial class ChaosLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    public static partial void Line(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chaos drill {Scenario} could not be written to the ops audit file")]
    public static partial void NotAudited(ILogger logger, string scenario);
}
