using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.AppHost.Ops;

/// <summary>
/// Once the gateway, backup, llmrouter, workflow, moderation (and the Sandbox, when there is one) are healthy, writes the
/// <see cref="StackDiscovery"/> file into the data folder and keeps it in <see cref="RunningStack"/> for the
/// dashboard commands; removes the file when the AppHost stops.
/// </summary>
internal sealed class DiscoveryPublisher(IServiceProvider services, RunningStack running, IHostApplicationLifetime lifetime, ILogger<DiscoveryPublisher> logger) : BackgroundService
{
    private static readonly string[] Needed = ["gateway", "backup", "llmrouter", "workflow", "moderation"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        lifetime.ApplicationStopping.Register(Remove);
        var sandbox = running.RealTelegram ? null : model.Resources.OfType<ProjectResource>().FirstOrDefault(r => r.Name == "sandbox");
        try
        {
            await Task.WhenAll(Needed.Concat(sandbox is null ? [] : ["sandbox"])
                .Select(name => notifications.WaitForResourceHealthyAsync(name, stoppingToken))).ConfigureAwait(false);
            var discovery = new StackDiscovery
            {
                ProcessId = Environment.ProcessId,
                Gateway = Endpoint(model, "gateway"),
                Backup = Endpoint(model, "backup"),
                LlmRouter = Endpoint(model, "llmrouter"),
                Workflow = Endpoint(model, "workflow"),
                Moderation = Endpoint(model, "moderation"),
                ModerationOpsKey = await SecretAsync(model, "moderation-ops-key", stoppingToken).ConfigureAwait(false),
                Sandbox = sandbox is null ? null : Endpoint(model, "sandbox"),
                GatewayAdminKey = await SecretAsync(model, "gateway-admin-key", stoppingToken).ConfigureAwait(false),
                BackupOpsKey = await SecretAsync(model, "backup-ops-key", stoppingToken).ConfigureAwait(false),
                LlmRouterAdminKey = await SecretAsync(model, "llmrouter-admin-key", stoppingToken).ConfigureAwait(false),
                WorkflowOpsKey = await SecretAsync(model, "workflow-ops-key", stoppingToken).ConfigureAwait(false),
                SandboxBotToken = sandbox is null ? null : await SecretAsync(model, "sandbox-bot-token", stoppingToken).ConfigureAwait(false),
                WebhookSecret = running.WebhookSecret is { } secret ? await secret.GetValueAsync(stoppingToken).ConfigureAwait(false) : null,
                SmokeUserId = running.SmokeUserId,
            };
            await discovery.WriteAsync(running.DataRoot, stoppingToken).ConfigureAwait(false);
            running.Current = discovery;
            var path = StackDiscovery.PathIn(running.DataRoot);
            OpsLog.DiscoveryWritten(logger, path);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before the stack was ready.
        }
    }

    private void Remove()
    {
        running.Current = null;
        try
        {
            StackDiscovery.Remove(running.DataRoot);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            OpsLog.DiscoveryNotRemoved(logger, exception.Message);
        }
    }

    private static Uri Endpoint(DistributedApplicationModel model, string name) =>
        new(model.Resources.OfType<ProjectResource>().Single(r => r.Name == name).GetEndpoint("http").Url + "/");

    private static async Task<string> SecretAsync(DistributedApplicationModel model, string name, CancellationToken cancellationToken) =>
        await model.Resources.OfType<ParameterResource>().Single(p => p.Name == name).GetValueAsync(cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"The parameter {name} has no value.");
}

/// <summary>The ops verbs' log lines in the AppHost.</summary>
internal static partial class OpsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "The ops verbs (smoke, upgrade) can reach this stack: discovery written to {Path}.")]
    public static partial void DiscoveryWritten(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the ops discovery file: {Reason}")]
    public static partial void DiscoveryNotRemoved(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command}:\n{Report}")]
    public static partial void OpsReport(ILogger logger, string command, string report);

    public static void LogOpsReport(this ILogger logger, string command, string report) => OpsReport(logger, command, report);
}
