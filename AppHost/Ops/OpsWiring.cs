using System.Globalization;
using Atlas.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.AppHost.Ops;

/// <summary>
/// The upgrade playbook and the smoke test in the running AppHost: the smoke user as a gateway admin (so it passes a
/// freeze), against the real Telegram the gateway's webhook secret, the discovery file for the command-line verbs,
/// and the dashboard commands "Upgrade: prepare / verify / resume" and "Smoke test" on the gateway.
/// </summary>
internal static class OpsWiring
{
    /// <summary>The Sandbox user the smoke test writes as, unless <c>Atlas:Smoke:UserId</c> says otherwise.</summary>
    public const long DefaultSmokeUserId = 990_000_001;

    public static IResourceBuilder<ProjectResource> WithUpgradePlaybook(this IResourceBuilder<ProjectResource> gateway, IDistributedApplicationBuilder builder, AtlasHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.ExecutionContext.IsPublishMode)
        {
            return gateway;
        }

        var configuration = builder.Configuration;
        var realTelegram = AtlasHost.HasBotToken(configuration);
        var smokeUser = SmokeUserId(configuration, realTelegram);
        if (smokeUser is { } user)
        {
            gateway.WithEnvironment("Gateway__Admins__smoke", user.ToString(CultureInfo.InvariantCulture));
        }

        IResourceBuilder<ParameterResource>? webhookSecret = null;
        if (realTelegram)
        {
            // The smoke test hands the gateway updates from the ops chat on its webhook, which needs the secret.
            webhookSecret = !string.IsNullOrWhiteSpace(configuration["Parameters:telegram-webhook-secret"])
                ? builder.AddParameter("telegram-webhook-secret", secret: true)
                : builder.AddGeneratedSecret("telegram-webhook-secret", settings);
            gateway.WithEnvironment("Telegram__WebhookSecret", webhookSecret);
        }

        builder.Services.AddSingleton(new RunningStack(settings.Data.Root, smokeUser, realTelegram, webhookSecret?.Resource));
        builder.Services.AddHostedService<DiscoveryPublisher>();
        return gateway
            .WithPlaybookCommand("upgrade-prepare", "Upgrade: prepare", OpsVerb.Prepare, "Snowflake", "Freeze inbound, take an emergency backup and warm the workflow caches.")
            .WithPlaybookCommand("upgrade-verify", "Upgrade: verify", OpsVerb.Verify, "CheckmarkCircle", "Smoke test, handler successes counted, LLM provider healthy.")
            .WithPlaybookCommand("upgrade-resume", "Upgrade: resume", OpsVerb.Resume, "Play", "Unfreeze inbound once the upgrade is verified.")
            .WithPlaybookCommand("smoke-test", "Smoke test", OpsVerb.Smoke, "Beaker", "/start, /groups, knowledge search, workflow launch and an LLM answer as a user.");
    }

    /// <summary>
    /// Against the real Telegram the smoke user is the ops chat (<c>Atlas:Smoke:OpsChatId</c>, a private chat with the
    /// bot, so its id is the ops user's id); none configured there means no smoke test. With the Sandbox, a fixed user.
    /// </summary>
    public static long? SmokeUserId(IConfiguration configuration, bool realTelegram)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var key = realTelegram ? "Atlas:Smoke:OpsChatId" : "Atlas:Smoke:UserId";
        if (configuration[key] is not { Length: > 0 } text)
        {
            return realTelegram ? null : DefaultSmokeUserId;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new InvalidOperationException($"{key} must be a Telegram user id (a positive number), not '{text}'.");
    }

    private static IResourceBuilder<ProjectResource> WithPlaybookCommand(this IResourceBuilder<ProjectResource> gateway, string name, string display, OpsVerb verb, string icon, string description) =>
        gateway.WithCommand(name, display, async context =>
        {
            var running = context.Services.GetRequiredService<RunningStack>();
            if (running.Current is not { } stack)
            {
                return CommandResults.Failure(RunningStack.NotReadyReason);
            }

            using var output = new StringWriter(CultureInfo.InvariantCulture);
            var invocation = new OpsInvocation(verb, running.DataRoot, Force: false, TimeSpan.FromSeconds(60));
            var passed = await OpsEntry.RunAgainstAsync(stack, invocation, output, context.CancellationToken, Audit.AuditCaller.Dashboard).ConfigureAwait(false);
            var report = output.ToString().TrimEnd();
            context.Logger.LogOpsReport(display, report);
            return passed ? CommandResults.Success(report) : CommandResults.Failure(report);
        }, new CommandOptions { IconName = icon, Description = description });
}
