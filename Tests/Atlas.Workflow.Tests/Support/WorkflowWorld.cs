using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Workflow.Tests.Support;

/// <summary>
/// One test's world: a Sandbox (Camunda stand-in) on a real port, isolated PostgreSQL/RabbitMQ/Redis, and the workflow
/// service hosted against both with short retry intervals and the ops key <see cref="OpsKey"/>. Operator alice (Telegram user
/// 1001, a workflow admin) works for "moderators".
/// </summary>
public sealed class WorkflowWorld : IAsyncDisposable
{
    public const long OperatorUserId = 1001;
    public const string OperatorName = "alice";
    public const long ModeratorChatId = -500;
    public const string OpsKey = "workflow-tests-ops-key";

    private readonly List<IAsyncDisposable> _hosts = [];
    private readonly HttpClient _sandboxHttp;

    private WorkflowWorld(SandboxHost sandbox, IsolatedResources resources, Dictionary<string, string?> settings)
    {
        Sandbox = sandbox;
        Resources = resources;
        Settings = settings;
        _sandboxHttp = new HttpClient { BaseAddress = sandbox.BaseUrl };
        Camunda = new CamundaControl(_sandboxHttp);
    }

    public SandboxHost Sandbox { get; }

    public IsolatedResources Resources { get; }

    public Dictionary<string, string?> Settings { get; }

    public CamundaControl Camunda { get; }

    public static async Task<WorkflowWorld> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var sandbox = await SandboxHost.StartAsync();
        var resources = await IsolatedResources.CreateAsync("workflow");
        var settings = SettingsFor(sandbox.BaseUrl);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new WorkflowWorld(sandbox, resources, settings);
    }

    /// <summary>The configuration that points the service at <paramref name="sandbox"/> with OAuth and quick retries.</summary>
    public static Dictionary<string, string?> SettingsFor(Uri sandbox) => new()
    {
        ["Workflow:OpsApiKey"] = OpsKey,
        ["Camunda:RestAddress"] = new Uri(sandbox, "camunda/").ToString(),
        ["Camunda:Auth:Mode"] = "OAuth",
        ["Camunda:Auth:TokenUrl"] = new Uri(sandbox, "camunda/oauth/token").ToString(),
        ["Camunda:Auth:ClientId"] = "atlas-workflow",
        ["Camunda:Auth:ClientSecret"] = "sandbox-secret",
        ["Camunda:Auth:FailureBackoff"] = "00:00:00.500",
        ["Camunda:ReadAfterWriteTimeout"] = "00:00:05",
        ["Workflow:Parked:PollInterval"] = "00:00:00.200",
        ["Workflow:Parked:FirstRetryDelay"] = "00:00:00.200",
        ["Workflow:Parked:MaxRetryDelay"] = "00:00:01",
        ["Workflow:Jobs:LongPoll"] = "00:00:01",
        ["Workflow:Jobs:RetryBackoff"] = "00:00:00.050",
        ["Workflow:Jobs:ActivationBackoff"] = "00:00:00.100",
        ["Workflow:Operators:0:TelegramUserId"] = OperatorUserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Workflow:Operators:0:UserName"] = OperatorName,
        ["Workflow:Operators:0:CandidateGroups:0"] = "moderators",
        ["Workflow:Operators:0:Admin"] = "true",
        ["Workflow:Notifications:ModeratorChatIds:0"] = ModeratorChatId.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Starts a workflow service instance (a second call is a restart on the same database).</summary>
    public WebApplicationFactoryHandle StartService(Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var factory = new ServiceFactory<Program>("workflowdb", Resources, settings);
        var configured = services is null ? factory : factory.WithWebHostBuilder(b => b.ConfigureTestServices(services));
        var handle = new WebApplicationFactoryHandle(factory, configured);
        _hosts.Add(handle);
        return handle;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }

        _sandboxHttp.Dispose();
        await Sandbox.DisposeAsync();
    }
}

/// <summary>A started (or startable) workflow service; dispose to stop it, as a crash or a deploy would.</summary>
public sealed class WebApplicationFactoryHandle(ServiceFactory<Program> root, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app) : IAsyncDisposable
{
    private bool _disposed;

    /// <summary>A client for the service's HTTP API that sends the ops key, as operators and the dashboard do.</summary>
    public HttpClient CreateClient()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", WorkflowWorld.OpsKey);
        return client;
    }

    /// <summary>A client without the ops key.</summary>
    public HttpClient CreateAnonymousClient() => app.CreateClient();

    public IServiceProvider Services => app.Services;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!ReferenceEquals(root, app))
        {
            await app.DisposeAsync();
        }

        await root.DisposeAsync();
    }
}
