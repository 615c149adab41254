using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Atlas.Testing.Sandbox;

/// <summary>
/// A typed client for the Sandbox's Telegram control API (<c>/sandbox/telegram</c>), plus plain Bot API calls. A
/// failed control call throws <see cref="HttpRequestException"/> carrying the problem details.
/// </summary>
public sealed class TelegramSandboxClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Uses <paramref name="http"/>, whose BaseAddress is the Sandbox's base URL; the caller keeps owning it.</summary>
    public TelegramSandboxClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <summary>Talks to the Sandbox at <paramref name="baseUrl"/> with a client of its own.</summary>
    public TelegramSandboxClient(Uri baseUrl)
        : this(new HttpClient { BaseAddress = baseUrl }) => _ownsHttp = true;

    public Task<SandboxBot> CreateBotAsync(string? token = null, string? username = null, string? firstName = null, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxBot>(HttpMethod.Post, "bots", new { token, username, firstName }, cancellationToken);

    public Task<IReadOnlyList<SandboxBot>> GetBotsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<SandboxBot>>(HttpMethod.Get, "bots", null, cancellationToken);

    /// <summary>@BotFather's /revoke: the bot gets <paramref name="newToken"/> (or a made-up one for its id); the old token answers 401.</summary>
    public Task<SandboxBot> RotateTokenAsync(string token, string? newToken = null, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxBot>(HttpMethod.Post, Bot(token) + "/token", new { token = newToken }, cancellationToken);

    public Task DeleteBotAsync(string token, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Bot(token), null, cancellationToken);

    /// <summary>A user writes a message (commands get their bot_command entity).</summary>
    public Task<SandboxInjectedMessage> SendMessageAsync(string token, SandboxUserMessage message, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxInjectedMessage>(HttpMethod.Post, Bot(token) + "/messages", message, cancellationToken);

    /// <summary>User <paramref name="userId"/> writes <paramref name="text"/> to the bot in their private chat.</summary>
    public Task<SandboxInjectedMessage> SendMessageAsync(string token, long userId, string text, CancellationToken cancellationToken = default) =>
        SendMessageAsync(token, new SandboxUserMessage { UserId = userId, Text = text }, cancellationToken);

    public Task<SandboxInjectedCallbackQuery> SendCallbackQueryAsync(string token, SandboxCallbackQuery query, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxInjectedCallbackQuery>(HttpMethod.Post, Bot(token) + "/callback-queries", query, cancellationToken);

    public Task<SandboxInjectedMemberEvent> AddMemberAsync(string token, SandboxMemberEvent memberEvent, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxInjectedMemberEvent>(HttpMethod.Post, Bot(token) + "/members", memberEvent, cancellationToken);

    /// <summary>Queues any Update object (snake_case, without update_id); returns it as stored, update_id included.</summary>
    public Task<JsonObject> InjectUpdateAsync(string token, JsonObject update, CancellationToken cancellationToken = default) =>
        SendAsync<JsonObject>(HttpMethod.Post, Bot(token) + "/updates", update, cancellationToken);

    /// <summary>The bot's Bot API calls after <paramref name="after"/>, optionally of one method only.</summary>
    public Task<IReadOnlyList<SandboxAction>> GetActionsAsync(string token, long after = 0, string? method = null, bool includeReads = false, CancellationToken cancellationToken = default)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"?after={after}&includeReads={(includeReads ? "true" : "false")}");
        if (method is not null)
        {
            query += "&method=" + Uri.EscapeDataString(method);
        }

        return SendAsync<IReadOnlyList<SandboxAction>>(HttpMethod.Get, Bot(token) + "/actions" + query, null, cancellationToken);
    }

    /// <summary>Polls the actions until <paramref name="done"/> holds for them (bounded by <paramref name="timeout"/>, default 10 s).</summary>
    public async Task<IReadOnlyList<SandboxAction>> WaitForActionsAsync(
        string token, Func<IReadOnlyList<SandboxAction>, bool> done, string? method = null, long after = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(done);
        return await Eventually.PollAsync(
            () => GetActionsAsync(token, after, method, method is not null, cancellationToken),
            done,
            timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    /// <summary>Polls until at least <paramref name="count"/> calls of <paramref name="method"/> were made; returns them all.</summary>
    public Task<IReadOnlyList<SandboxAction>> WaitForActionsAsync(
        string token, string method, int count, long after = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForActionsAsync(token, actions => actions.Count >= count, method, after, timeout, cancellationToken);

    public Task<IReadOnlyList<SandboxChatMessage>> GetChatMessagesAsync(string token, long chatId, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<SandboxChatMessage>>(HttpMethod.Get, Bot(token) + "/chats/" + Id(chatId) + "/messages", null, cancellationToken);

    public Task<IReadOnlyList<SandboxChat>> GetChatsAsync(string token, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<SandboxChat>>(HttpMethod.Get, Bot(token) + "/chats", null, cancellationToken);

    public Task<SandboxLimits> GetLimitsAsync(string token, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxLimits>(HttpMethod.Get, Bot(token) + "/limits", null, cancellationToken);

    public Task<SandboxLimits> SetLimitsAsync(string token, SandboxLimits limits, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxLimits>(HttpMethod.Put, Bot(token) + "/limits", limits, cancellationToken);

    public Task AddFaultAsync(string token, SandboxFault fault, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Bot(token) + "/faults", fault, cancellationToken);

    /// <summary>The faults still armed, each with the number of calls it will still fail. A fault with a delay is used up when its call arrives.</summary>
    public Task<IReadOnlyList<SandboxFault>> GetFaultsAsync(string token, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<SandboxFault>>(HttpMethod.Get, Bot(token) + "/faults", null, cancellationToken);

    public Task ClearFaultsAsync(string token, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Bot(token) + "/faults", null, cancellationToken);

    /// <summary>
    /// Sets a member's status in a chat (also the bot's own, e.g. "administrator" so it may moderate). An unknown chat is
    /// created; its type comes from <paramref name="chatType"/> or the id (positive: private, below -10^12: supergroup, else group).
    /// </summary>
    public Task SetMemberStatusAsync(
        string token, long chatId, long userId, string status, JsonObject? permissions = null, long? untilDate = null, string? chatType = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Bot(token) + "/chats/" + Id(chatId) + "/members/" + Id(userId), new { status, permissions, untilDate, chatType }, cancellationToken);

    /// <summary>The user of private chat <paramref name="chatId"/> blocks (or unblocks) the bot.</summary>
    public Task SetBlockedAsync(string token, long chatId, bool blocked = true, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Bot(token) + "/chats/" + Id(chatId) + "/blocked", new { blocked }, cancellationToken);

    /// <summary>
    /// User <paramref name="userId"/> upgrades group <paramref name="chatId"/> to a supergroup (id <paramref name="supergroupId"/>
    /// or one the Sandbox picks): two service-message updates follow, and the group answers 400 with migrate_to_chat_id from then on.
    /// </summary>
    public Task<SandboxChatMigration> MigrateChatAsync(string token, long chatId, long userId, long? supergroupId = null, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxChatMigration>(HttpMethod.Post, Bot(token) + "/chats/" + Id(chatId) + "/migrate", new { userId, supergroupId }, cancellationToken);

    /// <summary>Makes a chat known without an update.</summary>
    public Task<SandboxChat> PutChatAsync(string token, long chatId, string type, string? title = null, string? username = null, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxChat>(HttpMethod.Put, Bot(token) + "/chats/" + Id(chatId), new { type, title, username }, cancellationToken);

    public Task<SandboxWebhook> GetWebhookAsync(string token, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxWebhook>(HttpMethod.Get, Bot(token) + "/webhook", null, cancellationToken);

    /// <summary>Calls a Bot API method as a bot would (POST, JSON body); never throws for an error answer.</summary>
    public async Task<BotApiResponse> CallBotApiAsync(string token, string method, JsonObject? parameters = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"./bot{token}/{method}", UriKind.Relative))
        {
            Content = JsonContent.Create(parameters ?? []),
        };
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var envelope = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        return new BotApiResponse((int)response.StatusCode, envelope ?? []);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string Bot(string token) => "bots/" + token;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException($"{method} {path} answered with no body.");
    }

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(method, path, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri("sandbox/telegram/" + path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException(
                $"{method} /sandbox/telegram/{RedactToken(path)} answered {(int)response.StatusCode}: {problem}", null, response.StatusCode);
        }
    }

    // Exception messages end up in test logs: keep the token out of them.
    private static string RedactToken(string path) =>
        path.StartsWith("bots/", StringComparison.Ordinal) && path.IndexOf('/', 5) is var end
            ? "bots/***" + (end < 0 ? "" : path[end..])
            : path;
}
