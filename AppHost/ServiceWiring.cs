using System.Globalization;
using System.Security.Cryptography;
using Atlas.AppHost.Commands;
using Atlas.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Atlas.AppHost;

/// <summary>What each service needs beyond its servers: external systems (or the Sandbox), secrets, dashboard commands.</summary>
internal static class ServiceWiring
{
    /// <summary>Where a deployed backup service keeps its backups (a volume in the Kubernetes and Compose artifacts).</summary>
    public const string DeployedBackupPath = "/var/lib/atlas/backups";

    /// <summary>
    /// Camunda for the workflow service: the configured cluster (<c>Camunda:*</c> or the Camunda SDKs' <c>ZEEBE_*</c> /
    /// <c>CAMUNDA_*</c> names, passed through), else the Sandbox's Camunda stand-in with OAuth client credentials.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCamunda(this IResourceBuilder<ProjectResource> workflow, IDistributedApplicationBuilder builder, AtlasHostSettings settings)
    {
        var configuration = builder.Configuration;
        if (HasCamunda(configuration))
        {
            foreach (var name in (string[])["ZEEBE_REST_ADDRESS", "CAMUNDA_OAUTH_URL", "ZEEBE_CLIENT_ID", "CAMUNDA_TOKEN_AUDIENCE"])
            {
                if (configuration[name] is { Length: > 0 } value)
                {
                    workflow.WithEnvironment(name, value);
                }
            }

            foreach (var (key, value) in configuration.GetSection("Camunda").AsEnumerable(makePathsRelative: true).Where(e => e.Value is not null && !e.Key.EndsWith("Secret", StringComparison.Ordinal)))
            {
                workflow.WithEnvironment("Camunda__" + key.Replace(":", "__", StringComparison.Ordinal), value);
            }

            if (!string.IsNullOrWhiteSpace(configuration["Parameters:camunda-client-secret"]))
            {
                workflow.WithEnvironment("Camunda__Auth__ClientSecret", builder.AddParameter("camunda-client-secret", secret: true));
            }

            return workflow;
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            // Deployed there is no Sandbox: the cluster's Camunda is named at deploy time.
            return workflow
                .WithEnvironment("Camunda__RestAddress", builder.AddParameter("camunda-rest-address"))
                .WithEnvironment("Camunda__Auth__Mode", "OAuth")
                .WithEnvironment("Camunda__Auth__TokenUrl", builder.AddParameter("camunda-token-url"))
                .WithEnvironment("Camunda__Auth__ClientId", builder.AddParameter("camunda-client-id"))
                .WithEnvironment("Camunda__Auth__ClientSecret", builder.AddParameter("camunda-client-secret", secret: true));
        }

        var secret = builder.AddGeneratedSecret("camunda-client-secret", settings);
        var sandbox = builder.AddSandbox(settings).WithEnvironment("Sandbox__Camunda__ClientSecret", secret);
        var endpoint = sandbox.GetEndpoint("http");
        return workflow.WithReference(sandbox).WaitFor(sandbox)
            .WithEnvironment("Camunda__RestAddress", ReferenceExpression.Create($"{endpoint}/camunda/"))
            .WithEnvironment("Camunda__DeployOnStart", "true")
            .WithEnvironment("Camunda__Auth__Mode", "OAuth")
            .WithEnvironment("Camunda__Auth__TokenUrl", ReferenceExpression.Create($"{endpoint}/camunda/oauth/token"))
            .WithEnvironment("Camunda__Auth__ClientId", "atlas-workflow")
            .WithEnvironment("Camunda__Auth__ClientSecret", secret);
    }

    /// <summary>Whether a Camunda cluster is configured (<c>Camunda:RestAddress</c> or the SDKs' <c>ZEEBE_REST_ADDRESS</c>) rather than the Sandbox's.</summary>
    public static bool HasCamunda(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Camunda:RestAddress"]) || !string.IsNullOrWhiteSpace(configuration["ZEEBE_REST_ADDRESS"]);

    /// <summary>The Sandbox chat page's user (its default "User id"), the workflow operator of a stack that has only stand-ins.</summary>
    public const long SandboxOperatorUserId = 1001;

    /// <summary>
    /// With the Sandbox standing in for both Telegram and Camunda, the chat page's default user is a workflow operator
    /// and admin (candidate group <c>moderators</c>), so <c>/tasks</c>, the task buttons and <c>/workflow start</c> can be
    /// tried on a fresh stack. Not with a real bot token or a real Camunda, where user 1001 would be a stranger. Added
    /// under its own key, so operators configured for the service keep their places.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSandboxOperator(this IResourceBuilder<ProjectResource> workflow, IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode || AtlasHost.HasBotToken(builder.Configuration) || HasCamunda(builder.Configuration))
        {
            return workflow;
        }

        return workflow
            .WithEnvironment("Workflow__Operators__sandbox__TelegramUserId", SandboxOperatorUserId.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Workflow__Operators__sandbox__UserName", "sandbox-operator")
            .WithEnvironment("Workflow__Operators__sandbox__CandidateGroups__0", "moderators")
            .WithEnvironment("Workflow__Operators__sandbox__Admin", "true");
    }

    /// <summary>
    /// Workflow: its ops key (every <c>/workflow/*</c> call sends it as <c>X-Admin-Key</c>) and the dashboard's
    /// "resume all parked" command, which sends the key too. Applies with the Sandbox and with a configured Camunda.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithWorkflowOps(this IResourceBuilder<ProjectResource> workflow, IDistributedApplicationBuilder builder, AtlasHostSettings settings)
    {
        var key = builder.AddGeneratedSecret("workflow-ops-key", settings);
        return workflow.WithEnvironment("Workflow__OpsApiKey", key)
            .WithOpsCommand(key, "resume-parked", "Resume all parked work", "/workflow/parked/resume-all", null, "ArrowClockwise", "Retry every parked Camunda operation now.");
    }

    /// <summary>
    /// Backup: every database and Redis as targets, a generated encryption key, storage in the data folder, its ops key,
    /// and the dashboard commands "Back up now" and "Verify latest", which send that key.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBackupTargets(this IResourceBuilder<ProjectResource> backup, IDistributedApplicationBuilder builder, AtlasHostSettings settings,
        IEnumerable<IResourceBuilder<IResourceWithConnectionString>> targets)
    {
        foreach (var target in targets)
        {
            backup.WithReference(target);
        }

        var key = builder.AddGeneratedSecret("backup-encryption-key", settings, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var opsKey = builder.AddGeneratedSecret("backup-ops-key", settings);
        if (!builder.ExecutionContext.IsPublishMode)
        {
            // The environment's schedule: none in dev, daily in stage, hourly plus daily in prod.
            foreach (var (name, value) in settings.Environment.BackupSettings())
            {
                backup.WithEnvironment(name, value);
            }
        }

        return backup
            .WithEnvironment("Backup__EncryptionKey", key)
            .WithEnvironment("Backup__OpsApiKey", opsKey)
            .WithEnvironment("Backup__Storage__Path", builder.ExecutionContext.IsPublishMode ? DeployedBackupPath : settings.Data.For("backups"))
            .WithOpsCommand(opsKey, "backup-now", "Back up now", "/backups", """{"target":"all"}""", "Save", "An emergency backup of every target (and its verification).")
            .WithOpsCommand(opsKey, "verify-latest", "Verify latest", "/backups/latest/verification", null, "CheckmarkCircle",
                "Restore the newest backup of every target into scratch space and compare it.");
    }

    /// <summary>Moderation: its ops key, and strictness on/off as dashboard commands (the runbook's "increase moderation strictness").</summary>
    public static IResourceBuilder<ProjectResource> WithModerationOps(this IResourceBuilder<ProjectResource> moderation, IDistributedApplicationBuilder builder, AtlasHostSettings settings)
    {
        var key = builder.AddGeneratedSecret("moderation-ops-key", settings);
        moderation.WithEnvironment("Moderation__OpsApiKey", key);
        foreach (var (name, display, strict) in (ReadOnlySpan<(string, string, bool)>)[("strict-on", "Strict moderation on", true), ("strict-off", "Strict moderation off", false)])
        {
            moderation.WithOpsCommand(key, name, display, "/moderation/strictness", strict ? """{"strict":true}""" : """{"strict":false}""", "Shield", null, HttpMethod.Put);
        }

        return moderation.WithCasList(builder, settings);
    }

    /// <summary>The known-spammer list for chats that switch <c>casLookup</c> on: <c>Moderation:Cas:BaseUrl</c> if configured, else the Sandbox's stand-in.</summary>
    private static IResourceBuilder<ProjectResource> WithCasList(this IResourceBuilder<ProjectResource> moderation, IDistributedApplicationBuilder builder, AtlasHostSettings settings)
    {
        if (builder.Configuration["Moderation:Cas:BaseUrl"] is { Length: > 0 } configured)
        {
            return moderation.WithEnvironment("Moderation__Cas__BaseUrl", configured);
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            return moderation.WithEnvironment("Moderation__Cas__BaseUrl", builder.AddParameter("moderation-cas-base-url"));
        }

        var sandbox = builder.AddSandbox(settings);
        return moderation.WithReference(sandbox).WaitFor(sandbox)
            .WithEnvironment("Moderation__Cas__BaseUrl", ReferenceExpression.Create($"{sandbox.GetEndpoint("http")}/cas/"));
    }
}
