using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;
using Atlas.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atlas.IntegrationTests;

/// <summary>
/// The whole stack, started once for the tests of the "stack" collection through Aspire's testing builder from the
/// real AppHost: local servers, the five services, the Sandbox and the dashboard on free ports with a known login
/// token and telemetry API key.
/// </summary>
public sealed class RunningAtlas : IAsyncLifetime
{
    public static readonly string[] Services = ["gateway", "moderation", "llmrouter", "workflow", "backup"];
    public static readonly string[] Infrastructure = ["redis", "postgres", "rabbitmq", "gatewaydb", "moderationdb", "llmdb", "workflowdb", "backupdb"];

    public string DataRoot { get; } = Directory.CreateTempSubdirectory("atlas-it-").FullName;

    private readonly AppHostConsole _console = new();

    /// <summary>The dashboard login URL with its token, as the AppHost printed it at start.</summary>
    public Task<Uri> PrintedLoginUrl => _console.LoginUrl;

    /// <summary>The line the AppHost prints once every resource is running and healthy.</summary>
    public Task<string> PrintedReady => _console.Ready;

    public string DashboardApiKey { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Where the dashboard listens (the testing builder picks its own port).</summary>
    public Uri Dashboard { get; private set; } = null!;

    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(
            [
                "--ephemeral", "--data", DataRoot,
                $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort.Next()}",
                $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
                $"--AppHost:DashboardApiKey={DashboardApiKey}",
                "--Atlas:Restart:gateway:InitialDelaySeconds=0.2",
                // The chaos drills' dashboard commands on a test schedule.
                "--Atlas:Chaos:Seconds=3",
            ],
            (options, _) =>
            {
                options.DisableDashboard = false;
                options.AllowUnsecuredTransport = true;
            });
        builder.Services.AddLogging(logging => logging.AddProvider(_console));
        App = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await App.StartAsync(timeout.Token);
        await Task.WhenAll(Infrastructure.Concat(Services).Append("sandbox")
            .Select(name => App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token)));
        Dashboard = App.GetEndpoint("aspire-dashboard", "http");
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Eventually.PollAsync(() => Task.FromResult(OwnerMark.Find(DataRoot + "|").ToList()), left => left.Count == 0, TimeSpan.FromSeconds(30));
        if (Directory.Exists(DataRoot))
        {
            Directory.Delete(DataRoot, recursive: true);
        }
    }

    public async Task<string> SecretAsync(string parameter) =>
        await App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == parameter).GetValueAsync(CancellationToken.None) ?? throw new InvalidOperationException(parameter);
}

[CollectionDefinition("stack")]
public sealed class StackFixtureDefinition : ICollectionFixture<RunningAtlas>;
