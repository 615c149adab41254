extern alias llmrouter;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atlas.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atlas.Moderation.Tests.Support;

/// <summary>
/// A <see cref="ModerationWorld"/> whose Moderation asks for LLM spam verdicts, with its log lines captured, and
/// LlmRouter hosted in-process on the same virtual host (its own database and key prefix), its Ollama provider
/// pointed at the Sandbox's LLM stand-in. Tests script the model's answers at the Sandbox and count its requests.
/// </summary>
public class VerdictWorld : IAsyncLifetime
{
    public const int VerdictUnavailableEvent = 4006;
    private readonly bool _withRouter;
    private ServiceFactory<llmrouter::Program>? _router;
    private HttpClient _sandboxHttp = null!;

    public VerdictWorld()
        : this(withRouter: true, timeout: "00:00:15")
    {
    }

    protected VerdictWorld(bool withRouter, string timeout, int? moderationPoolSize = null)
    {
        _withRouter = withRouter;
        World = ModerationWorld.With(
            null, new Dictionary<string, string?> { ["Moderation:LlmVerdictTimeout"] = timeout }, services => services.AddSingleton<ILoggerProvider>(Logs),
            moderationPoolSize);
    }

    public ModerationWorld World { get; }

    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        await World.InitializeAsync();
        _sandboxHttp = new HttpClient { BaseAddress = World.Sandbox.BaseUrl };
        if (!_withRouter)
        {
            return;
        }

        var resources = World.Resources with
        {
            Database = await World.Resources.Servers.CreateDatabaseAsync("llmrouter"),
            RedisKeyPrefix = RealServers.NewKeyPrefix("llmrouter"),
        };
        _router = new ServiceFactory<llmrouter::Program>("llmdb", resources, new Dictionary<string, string?>
        {
            ["LlmRouter:Ollama:BaseUrl"] = World.Sandbox.BaseUrl.ToString(),
            ["LlmRouter:Ollama:Model"] = "sandbox-echo",
        });
        using var probe = _router.CreateClient();
        await Eventually.PollAsync(async () => (await probe.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, ok => ok, TimeSpan.FromSeconds(60));
    }

    /// <summary>Makes the Sandbox model answer <paramref name="reply"/> to prompts containing <paramref name="marker"/>.</summary>
    public async Task ScriptAsync(string marker, string reply) =>
        (await _sandboxHttp.PostAsJsonAsync(new Uri("sandbox/llm/ollama/replies", UriKind.Relative), new { reply, whenContains = marker })).EnsureSuccessStatusCode();

    /// <summary>Makes the Sandbox model hang (never answer until the caller gives up) on its next <paramref name="times"/> requests.</summary>
    public async Task HangModelAsync(int times) =>
        (await _sandboxHttp.PutAsJsonAsync(new Uri("sandbox/llm/ollama/fault", UriKind.Relative), new { kind = "hang", times })).EnsureSuccessStatusCode();

    /// <summary>How many requests the Sandbox model holds right now (hanging).</summary>
    public async Task<int> HeldAsync()
    {
        var list = await _sandboxHttp.GetFromJsonAsync<JsonObject>(new Uri("sandbox/llm/ollama/requests", UriKind.Relative));
        return list!["held"]!.GetValue<int>();
    }

    /// <summary>The prompts (all message texts joined) the Sandbox model received that contain <paramref name="marker"/>.</summary>
    public async Task<IReadOnlyList<string>> PromptsAsync(string marker)
    {
        var list = await _sandboxHttp.GetFromJsonAsync<JsonObject>(new Uri("sandbox/llm/ollama/requests", UriKind.Relative));
        return [.. list!["requests"]!.AsArray()
            .Select(r => string.Join("\n", r!["messages"]!.AsArray().Select(m => (string?)m!["content"])))
            .Where(p => p.Contains(marker, StringComparison.Ordinal))];
    }

    /// <summary>The reasons recorded with <paramref name="chatId"/>'s audit rows of <paramref name="rule"/>.</summary>
    public async Task<IReadOnlyList<string>> ReasonsAsync(long chatId, string rule)
    {
        await using var connection = new NpgsqlConnection(World.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT reason FROM audit_log WHERE chat_id = $1 AND rule = $2 ORDER BY audit_id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = chatId });
        command.Parameters.Add(new NpgsqlParameter { Value = rule });
        var reasons = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            reasons.Add(reader.GetString(0));
        }

        return reasons;
    }

    /// <summary>The "no verdict" log lines that name <paramref name="chatId"/>.</summary>
    public IReadOnlyList<string> UnavailableLines(long chatId) =>
        [.. Logs.Lines.Where(l => l.EventId == VerdictUnavailableEvent && l.Message.Contains($"chat {chatId} ", StringComparison.Ordinal)).Select(l => l.Message)];

    public async Task DisposeAsync()
    {
        _sandboxHttp.Dispose();
        if (_router is not null)
        {
            await _router.DisposeAsync();
        }

        await World.DisposeAsync();
    }
}

/// <summary>The same world without LlmRouter: nothing answers the verdict requests, which time out after 1 s.</summary>
public sealed class RouterlessVerdictWorld : VerdictWorld
{
    public RouterlessVerdictWorld()
        : base(withRouter: false, timeout: "00:00:01")
    {
    }
}

/// <summary>The world with LlmRouter whose Moderation has a single PostgreSQL connection in its pool.</summary>
public sealed class SingleConnectionVerdictWorld : VerdictWorld
{
    public SingleConnectionVerdictWorld()
        : base(withRouter: true, timeout: "00:00:15", moderationPoolSize: 1)
    {
    }
}
