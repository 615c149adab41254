extern alias gateway;
using System.Text.Json.Nodes;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atlas.Moderation.Tests.Support;

/// <summary>
/// Telegram (the Sandbox), the real gateway polling it and Moderation, on one virtual host of the real RabbitMQ,
/// each service with its own database. Users write in groups through the Sandbox; what the bot did is read back
/// from the Sandbox's action log. The bot is an admin of every chat made with <see cref="NewChatAsync"/>, and so is
/// <see cref="AdminId"/>.
/// </summary>
public sealed class ModerationWorld : IAsyncLifetime
{
    public const long AdminId = 700_000_001;
    public const string OpsKey = "moderation-tests-ops-key";
    private static long _nextChat = -1002000000000 - (Environment.ProcessId % 1000 * 1000);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(long, long), byte> _memberSet = new();
    private readonly string? _moderationDatabase;
    private readonly IReadOnlyDictionary<string, string?> _moderationSettings;
    private readonly Action<IServiceCollection>? _moderationServices;
    private readonly int? _moderationPoolSize;
    private ServiceFactory<Program>? _moderationRoot;
    private ServiceFactory<gateway::Program> _gateway = null!;

    public ModerationWorld()
        : this(null, new Dictionary<string, string?>(), null, null)
    {
    }

    private ModerationWorld(
        string? moderationDatabase, IReadOnlyDictionary<string, string?> moderationSettings, Action<IServiceCollection>? moderationServices,
        int? moderationPoolSize)
    {
        _moderationDatabase = moderationDatabase;
        _moderationSettings = moderationSettings;
        _moderationServices = moderationServices;
        _moderationPoolSize = moderationPoolSize;
    }

    public SandboxHost Sandbox { get; private set; } = null!;

    public string Token { get; private set; } = null!;

    public IsolatedResources Resources { get; private set; } = null!;

    public WebApplicationFactory<Program> Moderation { get; private set; } = null!;

    /// <summary>A client for Moderation's HTTP API with the ops key.</summary>
    public HttpClient Ops { get; private set; } = null!;

    public TestBus Bus { get; private set; } = null!;

    public TelegramSandboxClient Telegram => Sandbox.Telegram;

    /// <summary>
    /// A world whose Moderation uses <paramref name="moderationDatabase"/>, the extra <paramref name="moderationSettings"/>
    /// and, if given, <paramref name="moderationServices"/> on top of its own registrations (e.g. a log capture) and
    /// at most <paramref name="moderationPoolSize"/> PostgreSQL connections.
    /// </summary>
    public static ModerationWorld With(
        string? moderationDatabase, IReadOnlyDictionary<string, string?> moderationSettings, Action<IServiceCollection>? moderationServices = null,
        int? moderationPoolSize = null) =>
        new(moderationDatabase, moderationSettings, moderationServices, moderationPoolSize);

    public async Task InitializeAsync()
    {
        var gatewayResources = await IsolatedResources.CreateAsync("mod-gateway");
        Resources = gatewayResources with
        {
            Database = _moderationDatabase ?? await gatewayResources.Servers.CreateDatabaseAsync("moderation"),
            RedisKeyPrefix = RealServers.NewKeyPrefix("moderation"),
        };
        Sandbox = await SandboxHost.StartAsync();
        Token = (await Telegram.CreateBotAsync(TelegramBotToken.Create(), "atlas_mod_bot", "Atlas")).Token;
        await Telegram.SetLimitsAsync(Token, SandboxLimits.Unlimited);
        _gateway = new ServiceFactory<gateway::Program>("gatewaydb", gatewayResources, new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = Token,
            ["Telegram:ApiBaseUrl"] = Sandbox.BaseUrl.ToString(),
            ["Telegram:Mode"] = "Polling",
            ["Telegram:PollingTimeoutSeconds"] = "1",
            ["Gateway:AdminApiKey"] = "gateway-admin-key",
        });
        var moderationSettings = new Dictionary<string, string?>
        {
            ["Moderation:OpsApiKey"] = OpsKey,
            ["Moderation:AdminCacheTtl"] = "00:00:02",
            ["Moderation:Cas:BaseUrl"] = new Uri(Sandbox.BaseUrl, "cas/").ToString(),
        };
        foreach (var (key, value) in _moderationSettings)
        {
            moderationSettings[key] = value;
        }

        if (_moderationPoolSize is { } poolSize)
        {
            moderationSettings["ConnectionStrings:moderationdb"] =
                new NpgsqlConnectionStringBuilder(Resources.Database) { MaxPoolSize = poolSize }.ConnectionString;
        }

        _moderationRoot = new ServiceFactory<Program>("moderationdb", Resources, moderationSettings);
        Moderation = _moderationServices is { } configure
            ? _moderationRoot.WithWebHostBuilder(web => web.ConfigureTestServices(configure))
            : _moderationRoot;
        await Task.WhenAll(Task.Run(() => _ = _gateway.Server), Task.Run(() => _ = Moderation.Server));
        Ops = Moderation.CreateClient();
        Ops.DefaultRequestHeaders.Add("X-Admin-Key", OpsKey);
        using var gatewayClient = _gateway.CreateClient();
        foreach (var client in new[] { gatewayClient, Ops })
        {
            await Eventually.PollAsync(
                async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode,
                status => status == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        }

        Bus = await TestBus.StartAsync(Resources.RabbitMq);
    }

    /// <summary>A new supergroup where the bot may delete and restrict and <see cref="AdminId"/> is an administrator.</summary>
    public async Task<long> NewChatAsync()
    {
        var chat = Interlocked.Decrement(ref _nextChat);
        await Telegram.SetMemberStatusAsync(
            Token, chat, TelegramBotToken.BotIdOf(Token), "administrator",
            new JsonObject { ["can_restrict_members"] = true, ["can_delete_messages"] = true }, chatType: "supergroup");
        await Telegram.SetMemberStatusAsync(Token, chat, AdminId, "administrator");
        return chat;
    }

    /// <summary>User <paramref name="userId"/> writes in <paramref name="chatId"/> (optionally replying to a message).</summary>
    public async Task<SandboxInjectedMessage> SayAsync(long chatId, long userId, string text, long? replyTo = null, string? username = null)
    {
        if (_memberSet.TryAdd((chatId, userId), 0))
        {
            await Telegram.SetMemberStatusAsync(Token, chatId, userId, "member").ConfigureAwait(false);
        }

        return await Telegram.SendMessageAsync(Token, new SandboxUserMessage
        {
            ChatId = chatId, ChatType = "supergroup", ChatTitle = "Moderated room", UserId = userId, Text = text, Username = username,
            FirstName = "Member", ReplyToMessageId = replyTo,
        });
    }

    /// <summary>The admin writes (a command) in <paramref name="chatId"/>.</summary>
    public Task<SandboxInjectedMessage> AdminSaysAsync(long chatId, string text, long? replyTo = null) =>
        Telegram.SendMessageAsync(Token, new SandboxUserMessage
        {
            ChatId = chatId, ChatType = "supergroup", ChatTitle = "Moderated room", UserId = AdminId, Text = text, FirstName = "Admin", ReplyToMessageId = replyTo,
        });

    /// <summary>Successful calls of <paramref name="method"/> that concern <paramref name="chatId"/>.</summary>
    public async Task<IReadOnlyList<SandboxAction>> CallsAsync(string method, long chatId) =>
        [.. (await Telegram.GetActionsAsync(Token, method: method)).Where(a => a.Ok && a.Parameters["chat_id"]?.GetValue<long>() == chatId)];

    /// <summary>Waits until at least <paramref name="count"/> successful calls of <paramref name="method"/> reached <paramref name="chatId"/>.</summary>
    public Task<IReadOnlyList<SandboxAction>> WaitForCallsAsync(string method, long chatId, int count = 1) =>
        Eventually.PollAsync(() => CallsAsync(method, chatId), calls => calls.Count >= count, TimeSpan.FromSeconds(30));

    /// <summary>The texts the bot sent to <paramref name="chatId"/>.</summary>
    public async Task<IReadOnlyList<string>> RepliesAsync(long chatId) =>
        [.. (await CallsAsync("sendMessage", chatId)).Select(a => a.Parameters["text"]!.GetValue<string>())];

    public async Task<string> WaitForReplyAsync(long chatId, Func<string, bool> match)
    {
        var texts = await Eventually.PollAsync(() => RepliesAsync(chatId), t => t.Any(match), TimeSpan.FromSeconds(30));
        return texts.First(match);
    }

    /// <summary>Rows of Moderation's audit log for <paramref name="chatId"/>: (action, rule, user, outcome).</summary>
    public async Task<IReadOnlyList<(string Action, string Rule, long UserId, string? Outcome)>> AuditAsync(long chatId)
    {
        await using var connection = new NpgsqlConnection(Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT a.action, a.rule, a.user_id, o.outcome FROM audit_log a LEFT JOIN action_outcomes o USING (action_id) WHERE chat_id = $1 ORDER BY audit_id",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = chatId });
        var rows = new List<(string, string, long, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>How many of <paramref name="chatId"/>'s group messages Moderation has decided.</summary>
    public async Task<long> ProcessedCountAsync(long chatId)
    {
        await using var connection = new NpgsqlConnection(Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM processed_events WHERE event_key LIKE $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"message:{chatId}:%" });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Changes <paramref name="chatId"/>'s settings over the ops API.</summary>
    public async Task PutSettingsAsync(long chatId, string settingsJson)
    {
        using var content = new StringContent(settingsJson, System.Text.Encoding.UTF8, "application/json");
        using var response = await Ops.PutAsync(new Uri($"/moderation/chats/{chatId}/settings", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await Bus.DisposeAsync();
        Ops.Dispose();
        await Moderation.DisposeAsync();
        if (_moderationRoot is not null && !ReferenceEquals(_moderationRoot, Moderation))
        {
            await _moderationRoot.DisposeAsync();
        }
        await _gateway.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
