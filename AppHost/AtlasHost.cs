using System.Security.Cryptography;
using Atlas.AppHost.Commands;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;
using Atlas.AppHost.Restarts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.AppHost;

/// <summary>The parts of the AppHost that are Atlas's own rather than Aspire's: the data folder, services' shared settings, the Sandbox.</summary>
internal static class AtlasHost
{
    /// <summary>The Sandbox bot's username (the chat page lists it).</summary>
    public const string SandboxBotUsername = "atlas_sandbox_bot";

    /// <summary>
    /// Takes the data folder (one AppHost per folder), marks every process this AppHost starts, stops servers an
    /// AppHost killed outright left behind, and adds the restart policy and the optional env file.
    /// </summary>
    public static AtlasHostSettings AddAtlasHost(this IDistributedApplicationBuilder builder, AtlasOptions options)
    {
        var data = new DataFolder(options.DataRoot);
        var settings = new AtlasHostSettings(data, new ServerBinaries(builder.Configuration["Atlas:ServerSearchPath"]), options.Persistent, options.UseContainers)
        {
            Environment = options.Environment,
        };
        if (builder.ExecutionContext.IsPublishMode)
        {
            // Publishing describes the model and starts nothing: no lock, no owner mark, no supervisors.
            return settings;
        }

        var folderLock = data.Lock();
        Environment.SetEnvironmentVariable(OwnerMark.Variable, settings.OwnerMark);

        builder.Services.AddSingleton(folderLock);
        builder.Services.AddSingleton(settings);
        builder.Services.AddHostedService<RestartSupervisor>();
        builder.Services.AddHostedService<Watchdog>();
        builder.Services.AddHostedService<ReadyAnnouncer>();
        if (options.EnvFile is not null)
        {
            builder.Services.AddHostedService(sp => new EnvFileWriter(sp, options.EnvFile));
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((e, cancellationToken) =>
        {
            e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => OwnerMark.StopLeftovers(data.Root));
            return OwnerMark.StopOrphansAsync(data.Root, TimeSpan.FromSeconds(20), cancellationToken);
        });
        return settings;
    }

    /// <summary>
    /// An Atlas service: an HTTP endpoint, its /readyz as the dashboard's health, the owner mark, exit-with-parent
    /// (Aspire runs a project under <c>dotnet run</c>, which does not take its child along when it is killed) and
    /// the restart policy with the hung-service watchdog on top.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddAtlasService<TProject>(this IDistributedApplicationBuilder builder, string name, AtlasHostSettings settings, bool restart = true)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name)
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/readyz");
        if (builder.ExecutionContext.IsPublishMode)
        {
            // Deployed, the services' own defaults apply (trace sampling 0.1 in Production).
            return service;
        }

        service.WithEnvironment(OwnerMark.Variable, settings.OwnerMark)
            .WithEnvironment("ATLAS_EXIT_WITH_PARENT", "true");
        // The environment's profile: log level, trace sampling (Atlas:TraceSamplingRatio overrides it) and debug endpoints.
        foreach (var (key, value) in settings.Environment.ServiceSettings(builder.Configuration["Atlas:TraceSamplingRatio"]))
        {
            service.WithEnvironment(key, value);
        }

        return restart ? service.WithRestartPolicy().WithWatchdog() : service;
    }

    /// <summary>A generated secret kept in the data folder, shown in the dashboard only as a secret parameter.</summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name, AtlasHostSettings settings, Func<string>? create = null)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // A deployment supplies its own: the artifacts name the secret and carry no value.
            return builder.AddParameter(name, secret: true);
        }

        var value = create is null ? settings.Data.Secret(name) : settings.Data.Secret(name, create);
        return builder.AddParameter(name, () => value, secret: true);
    }

    /// <summary>
    /// Points the gateway at Telegram when a bot token is configured (<c>Parameters:telegram-bot-token</c>), else starts
    /// the Sandbox with a generated bot and points the gateway at it through service discovery.
    /// </summary>
    /// <summary>Whether a bot token is configured, so the gateway talks to the real Telegram rather than the Sandbox.</summary>
    public static bool HasBotToken(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Parameters:telegram-bot-token"]);

    public static void AddTelegram(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> gateway, AtlasHostSettings settings,
        IResourceBuilder<ParameterResource> adminKey)
    {
        var publishing = builder.ExecutionContext.IsPublishMode;
        // Deployed, Telegram must reach the gateway from outside: the public base URL is the deployment's to set.
        if (publishing)
        {
            gateway.WithEnvironment("Telegram__WebhookBaseUrl", builder.AddParameter("telegram-webhook-base-url"));
        }
        else
        {
            // A rotated bot token outlives a restart of the gateway in its data folder (0600).
            gateway.WithEnvironment("Telegram__WebhookBaseUrl", gateway.GetEndpoint("http"))
                .WithEnvironment("Telegram__RotatedTokenFile", Path.Combine(settings.Data.For("gateway"), "bot-token.json"));
        }

        if (publishing || HasBotToken(builder.Configuration))
        {
            gateway.WithEnvironment("Telegram__BotToken", builder.AddParameter("telegram-bot-token", secret: true))
                .WithRotateBotTokenCommand(adminKey, sandbox: null);
            if (!string.IsNullOrWhiteSpace(builder.Configuration["Parameters:telegram-api-base-url"]))
            {
                gateway.WithEnvironment("Telegram__ApiBaseUrl", builder.AddParameter("telegram-api-base-url"));
            }

            return;
        }

        Console.Out.WriteLine("No Telegram bot token is set (Parameters:telegram-bot-token): the Sandbox stands in for Telegram; chat with the bot at the sandbox URL.");
        var token = builder.AddGeneratedSecret("sandbox-bot-token", settings, NewBotToken);
        var sandbox = builder.AddSandbox(settings)
            .WithEnvironment("Sandbox__Telegram__Bots__0__Token", token)
            .WithEnvironment("Sandbox__Telegram__Bots__0__Username", SandboxBotUsername);
        // The chat page's default user may try the admin commands (/freeze, /unfreeze, /tier) of a Sandbox bot.
        gateway.WithReference(sandbox).WaitFor(sandbox)
            .WithEnvironment("Telegram__BotToken", token)
            .WithEnvironment("Telegram__ApiBaseUrl", "http://sandbox")
            .WithEnvironment("Gateway__Admins__sandbox", ServiceWiring.SandboxOperatorUserId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithRotateBotTokenCommand(adminKey, new BotTokenCommand.SandboxBot(sandbox, settings.Data, "sandbox-bot-token"));
    }

    /// <summary>The Sandbox, the stand-in for the external systems nobody configured (one resource whatever needs it).</summary>
    public static IResourceBuilder<ProjectResource> AddSandbox(this IDistributedApplicationBuilder builder, AtlasHostSettings settings) =>
        settings.Sandbox ??= builder.AddAtlasService<Projects.Atlas_Sandbox>("sandbox", settings, restart: false);

    // Telegram's token shape: the bot id, a colon, 35 URL-safe characters.
    private static string NewBotToken() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{RandomNumberGenerator.GetInt32(100_000_000, 999_999_999)}:{RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 35)}");
}
