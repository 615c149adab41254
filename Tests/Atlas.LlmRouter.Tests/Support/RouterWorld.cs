using System.Net.Http.Json;
using Atlas.Contracts.Llm;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.LlmRouter.Tests.Support;

/// <summary>
/// One LlmRouter on its own slice of the real servers, with both providers pointed at an in-process Sandbox LLM
/// (Ollama surface first, the OpenAI-compatible surface second, which demands the bearer key). Optionally on a fake
/// clock, for cooldowns and Retry-After.
/// </summary>
public sealed class RouterWorld : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";
    public const string OpenAiKey = "sk-sandbox-test-key";

    private readonly HttpClient _sandboxHttp;

    private RouterWorld(SandboxHost sandbox, ServiceFactory<Program> root, WebApplicationFactory<Program> factory, FakeTimeProvider? time, TestBus bus)
    {
        Sandbox = sandbox;
        Root = root;
        Factory = factory;
        Time = time;
        Bus = bus;
        _sandboxHttp = new HttpClient { BaseAddress = sandbox.BaseUrl };
        Llm = new LlmSandboxControl(_sandboxHttp);
        Http = factory.CreateClient();
        Http.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
    }

    public SandboxHost Sandbox { get; }

    public ServiceFactory<Program> Root { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public FakeTimeProvider? Time { get; }

    public TestBus Bus { get; }

    public LlmSandboxControl Llm { get; }

    /// <summary>A plain client of the Sandbox, e.g. for its Elasticsearch stand-in under elasticsearch/.</summary>
    public HttpClient SandboxHttp => _sandboxHttp;

    /// <summary>A client of LlmRouter's HTTP API carrying the admin key.</summary>
    public HttpClient Http { get; }

    public static async Task<RouterWorld> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool fakeTime = false, bool withOllama = true, bool withOpenAi = true, bool elasticsearch = false, string? connectionStringSuffix = null)
    {
        var sandbox = await SandboxHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Llm:ApiKey"] = OpenAiKey });
        var config = new Dictionary<string, string?>
        {
            ["LlmRouter:AdminApiKey"] = AdminKey,
            ["LlmRouter:Ollama:BaseUrl"] = withOllama ? sandbox.BaseUrl.ToString() : null,
            ["LlmRouter:Ollama:Model"] = "sandbox-echo",
            ["LlmRouter:OpenAI:BaseUrl"] = withOpenAi ? new Uri(sandbox.BaseUrl, "v1/").ToString() : null,
            ["LlmRouter:OpenAI:Model"] = "sandbox-echo",
            ["LlmRouter:OpenAI:ApiKey"] = OpenAiKey,
            ["ConnectionStrings:elasticsearch"] = elasticsearch ? new Uri(sandbox.BaseUrl, "elasticsearch/").ToString() : null,
        };
        if (fakeTime)
        {
            config["LlmRouter:Retry:MaxRetries"] = "0";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var resources = await IsolatedResources.CreateAsync("llmrouter");
        if (connectionStringSuffix is not null)
        {
            config["ConnectionStrings:llmdb"] = resources.Database + connectionStringSuffix;
        }

        var root = new ServiceFactory<Program>("llmdb", resources, config);
        var time = fakeTime ? new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)) : null;
        var factory = time is null
            ? (WebApplicationFactory<Program>)root
            : root.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time)));
        using (var probe = factory.CreateClient())
        {
            await Eventually.PollAsync(async () => (await probe.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, ok => ok);
        }

        var bus = await TestBus.StartAsync(root.Resources.RabbitMq);
        return new RouterWorld(sandbox, root, factory, time, bus);
    }

    public T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    /// <summary>Asks over the bus, as the gateway does.</summary>
    public async Task<ChatCompletionReplied> AskAsync(string text, string? language = "en", string conversationId = "conv-1", long userId = 42)
    {
        var client = Bus.Bus.CreateRequestClient<ChatCompletionRequested>(RequestTimeout.After(s: 60));
        var response = await client.GetResponse<ChatCompletionReplied>(new ChatCompletionRequested(conversationId, userId, userId, text, language));
        return response.Message;
    }

    /// <summary>Asks for a spam verdict over the bus, as Moderation does, waiting at most <paramref name="timeout"/>.</summary>
    public async Task<SpamVerdictReplied> VerdictAsync(string text, TimeSpan? timeout = null, params string[] signals)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(30);
        var client = Bus.Bus.CreateRequestClient<SpamVerdictRequested>(RequestTimeout.After(ms: (int)wait.TotalMilliseconds));
        var response = await client.GetResponse<SpamVerdictReplied>(new SpamVerdictRequested(-100, 7, text, signals, wait));
        return response.Message;
    }

    public async Task<KnowledgeSearchResults> SearchOverBusAsync(string query, int limit = 5)
    {
        var client = Bus.Bus.CreateRequestClient<KnowledgeSearchRequested>(RequestTimeout.After(s: 30));
        var response = await client.GetResponse<KnowledgeSearchResults>(new KnowledgeSearchRequested(42, 42, query, limit));
        return response.Message;
    }

    public async Task AddDocumentsAsync(params object[] documents) =>
        (await Http.PostAsJsonAsync(new Uri("/knowledge/documents:bulk", UriKind.Relative), documents)).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _sandboxHttp.Dispose();
        await Bus.DisposeAsync();
        await Root.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
