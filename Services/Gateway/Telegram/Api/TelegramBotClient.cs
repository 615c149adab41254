using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Api;

/// <summary>
/// The Bot API as a typed HttpClient. It has no resilience handler and no request logging (the URL holds the
/// token): callers decide how to retry, because a blind retry of sendMessage would send twice. A singleton: each
/// call takes a client from the factory, so handlers rotate as they should.
/// </summary>
public sealed class TelegramBotClient
{
    /// <summary>The named HttpClient the Bot API is called with.</summary>
    public const string HttpClientName = "telegram";

    private static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);
    private readonly IHttpClientFactory _clients;
    private readonly Uri _botBase;

    public TelegramBotClient(IHttpClientFactory clients, IOptions<TelegramOptions> options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _clients = clients;
        var apiBase = settings.ApiBaseUrl.ToString().TrimEnd('/') + "/";
        // Concatenated, not resolved against the base: "bot123:ABC/" alone would parse as an absolute URI with scheme "bot123".
        _botBase = new Uri(apiBase + $"bot{settings.BotToken}/");
    }

    public Task<User> GetMeAsync(CancellationToken cancellationToken) =>
        CallAsync<User>("getMe", new { }, cancellationToken);

    /// <summary>Long-polls for updates; the HTTP call waits up to <paramref name="timeoutSeconds"/> plus a margin.</summary>
    public Task<IReadOnlyList<Update>> GetUpdatesAsync(
        long? offset, int limit, int timeoutSeconds, IReadOnlyList<string>? allowedUpdates, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<Update>>(
            "getUpdates",
            new { offset, limit, timeout = timeoutSeconds, allowed_updates = allowedUpdates },
            cancellationToken,
            TimeSpan.FromSeconds(timeoutSeconds) + TimeSpan.FromSeconds(15));

    public Task<bool> SetWebhookAsync(
        Uri url, string? secretToken, IReadOnlyList<string>? allowedUpdates, int maxConnections, bool dropPendingUpdates,
        CancellationToken cancellationToken) =>
        CallAsync<bool>(
            "setWebhook",
            new
            {
                url = url?.ToString(),
                secret_token = secretToken,
                allowed_updates = allowedUpdates,
                max_connections = maxConnections,
                drop_pending_updates = dropPendingUpdates,
            },
            cancellationToken);

    public Task<bool> DeleteWebhookAsync(bool dropPendingUpdates, CancellationToken cancellationToken) =>
        CallAsync<bool>("deleteWebhook", new { drop_pending_updates = dropPendingUpdates }, cancellationToken);

    public Task<WebhookInfo> GetWebhookInfoAsync(CancellationToken cancellationToken) =>
        CallAsync<WebhookInfo>("getWebhookInfo", new { }, cancellationToken);

    public Task<Message> SendMessageAsync(
        long chatId, string text, string? parseMode = null, long? replyToMessageId = null,
        InlineKeyboardMarkup? replyMarkup = null, CancellationToken cancellationToken = default) =>
        CallAsync<Message>(
            "sendMessage",
            new
            {
                chat_id = chatId,
                text,
                parse_mode = parseMode,
                reply_parameters = replyToMessageId is { } id ? new ReplyParameters(id) : null,
                reply_markup = replyMarkup,
            },
            cancellationToken);

    public Task<JsonElement> EditMessageTextAsync(
        long chatId, long messageId, string text, string? parseMode = null, InlineKeyboardMarkup? replyMarkup = null,
        CancellationToken cancellationToken = default) =>
        CallAsync<JsonElement>(
            "editMessageText",
            new { chat_id = chatId, message_id = messageId, text, parse_mode = parseMode, reply_markup = replyMarkup },
            cancellationToken);

    public Task<bool> DeleteMessageAsync(long chatId, long messageId, CancellationToken cancellationToken) =>
        CallAsync<bool>("deleteMessage", new { chat_id = chatId, message_id = messageId }, cancellationToken);

    public Task<bool> AnswerCallbackQueryAsync(
        string callbackQueryId, string? text = null, bool showAlert = false, CancellationToken cancellationToken = default) =>
        CallAsync<bool>(
            "answerCallbackQuery", new { callback_query_id = callbackQueryId, text, show_alert = showAlert }, cancellationToken);

    public Task<bool> SendChatActionAsync(long chatId, string action, CancellationToken cancellationToken) =>
        CallAsync<bool>("sendChatAction", new { chat_id = chatId, action }, cancellationToken);

    public Task<bool> BanChatMemberAsync(long chatId, long userId, DateTimeOffset? until, CancellationToken cancellationToken) =>
        CallAsync<bool>(
            "banChatMember", new { chat_id = chatId, user_id = userId, until_date = until?.ToUnixTimeSeconds() }, cancellationToken);

    public Task<bool> UnbanChatMemberAsync(long chatId, long userId, CancellationToken cancellationToken) =>
        CallAsync<bool>("unbanChatMember", new { chat_id = chatId, user_id = userId, only_if_banned = true }, cancellationToken);

    public Task<bool> RestrictChatMemberAsync(
        long chatId, long userId, ChatPermissions permissions, DateTimeOffset? until, CancellationToken cancellationToken) =>
        CallAsync<bool>(
            "restrictChatMember",
            new
            {
                chat_id = chatId,
                user_id = userId,
                permissions,
                use_independent_chat_permissions = true,
                until_date = until?.ToUnixTimeSeconds(),
            },
            cancellationToken);

    public Task<ChatMember> GetChatMemberAsync(long chatId, long userId, CancellationToken cancellationToken) =>
        CallAsync<ChatMember>("getChatMember", new { chat_id = chatId, user_id = userId }, cancellationToken);

    public Task<IReadOnlyList<ChatMember>> GetChatAdministratorsAsync(long chatId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<ChatMember>>("getChatAdministrators", new { chat_id = chatId }, cancellationToken);

    public Task<bool> SetMyCommandsAsync(
        IReadOnlyList<BotCommand> commands, string? languageCode, CancellationToken cancellationToken) =>
        CallAsync<bool>("setMyCommands", new { commands, language_code = languageCode }, cancellationToken);

    /// <summary>Calls <paramref name="method"/> with <paramref name="parameters"/> as a JSON body.</summary>
    public async Task<TResult> CallAsync<TResult>(
        string method, object parameters, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultCallTimeout);
        using var content = JsonContent.Create(parameters, parameters.GetType(), options: TelegramJson.Options);
        HttpResponseMessage response;
        try
        {
            var http = _clients.CreateClient(HttpClientName);
            http.Timeout = Timeout.InfiniteTimeSpan;
            response = await http.PostAsync(new Uri(_botBase, method), content, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Telegram {method} did not answer in time.", exception);
        }

        using (response)
        {
            var envelope = await ReadEnvelopeAsync(response, deadline.Token).ConfigureAwait(false);
            if (envelope is null)
            {
                throw new TelegramApiException(method, (int)response.StatusCode, $"HTTP {(int)response.StatusCode} without a Bot API answer");
            }

            if (!envelope.Ok)
            {
                var retryAfter = envelope.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
                throw new TelegramApiException(
                    method, envelope.ErrorCode ?? (int)response.StatusCode, envelope.Description ?? "no description", retryAfter);
            }

            return envelope.Result.Deserialize<TResult>(TelegramJson.Options)
                ?? throw new TelegramApiException(method, (int)response.StatusCode, "empty result");
        }
    }

    private static async Task<ApiResponse?> ReadEnvelopeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<ApiResponse>(TelegramJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
