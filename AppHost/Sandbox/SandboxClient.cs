using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Atlas.AppHost.Sandbox;

/// <summary>
/// The AppHost's one client of the Sandbox's control APIs, for the smoke test and the chaos drills: users write to
/// the bot, the bot's messages and answers are read back, and the switches of the external systems (LLM surfaces, the
/// Camunda stand-in, Bot API faults) are set. The AppHost cannot reference the test projects, so it has its own.
/// A refused call throws <see cref="HttpRequestException"/> with the status and the Sandbox's problem details; the bot
/// token, part of the path, never appears in a message.
/// </summary>
internal sealed class SandboxClient(HttpClient http, Uri sandbox, string botToken)
{
    private static readonly string[] LlmSurfaces = ["ollama", "openai"];

    /// <summary>One successful <c>sendMessage</c> of the bot: to whom, what, when (the Sandbox's clock).</summary>
    public sealed record Answer(long Seq, long ChatId, string Text, DateTimeOffset At);

    /// <summary>One message of a chat as the Sandbox keeps it (deleted ones left out).</summary>
    public sealed record ChatMessage(long Id, bool FromBot, string Text);

    /// <summary>User <paramref name="userId"/> writes <paramref name="text"/> to the bot in their private chat; the message's id.</summary>
    public async Task<long> SendUserMessageAsync(long userId, string firstName, string text, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["userId"] = userId, ["firstName"] = firstName, ["languageCode"] = "en", ["text"] = text };
        using var response = await SendAsync(HttpMethod.Post, Bot("/messages"), body, cancellationToken).ConfigureAwait(false);
        var sent = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        return sent?["messageId"]?.GetValue<long>() ?? 0;
    }

    /// <summary>The messages of the private chat with <paramref name="chatId"/> (none while the chat does not exist).</summary>
    public async Task<IReadOnlyList<ChatMessage>> ChatMessagesAsync(long chatId, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(HttpMethod.Get, Bot("/chats/" + chatId.ToString(CultureInfo.InvariantCulture) + "/messages"), null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        using (response)
        {
            var list = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken).ConfigureAwait(false) ?? [];
            return [.. list.OfType<JsonObject>()
                .Where(m => m["deleted"]?.GetValue<bool>() != true)
                .Select(m => new ChatMessage(m["messageId"]!.GetValue<long>(), m["fromBot"]?.GetValue<bool>() == true, m["text"]?.GetValue<string>() ?? ""))];
        }
    }

    /// <summary>The bot's successful <c>sendMessage</c> calls after action <paramref name="afterSeq"/>.</summary>
    public async Task<IReadOnlyList<Answer>> AnswersAfterAsync(long afterSeq, CancellationToken cancellationToken)
    {
        var actions = await ActionsAsync(string.Create(CultureInfo.InvariantCulture, $"/actions?after={afterSeq}&method=sendMessage"), cancellationToken).ConfigureAwait(false);
        return [.. actions
            .Where(a => a["ok"]?.GetValue<bool>() == true && a["parameters"]?["chat_id"] is not null)
            .Select(a => new Answer(
                a["seq"]!.GetValue<long>(),
                ChatId(a["parameters"]!["chat_id"]!),
                a["parameters"]!["text"]?.GetValue<string>() ?? "",
                a["at"]!.GetValue<DateTimeOffset>()))];
    }

    /// <summary>The newest action's sequence number (0 when the bot made none): answers after it are new.</summary>
    public async Task<long> LastSeqAsync(CancellationToken cancellationToken) =>
        (await ActionsAsync("/actions?includeReads=true", cancellationToken).ConfigureAwait(false)).Select(a => a["seq"]!.GetValue<long>()).DefaultIfEmpty(0).Max();

    /// <summary>Every LLM surface fails with <paramref name="status"/> until <see cref="ClearLlmFaultsAsync"/>.</summary>
    public async Task FailLlmsAsync(int status, CancellationToken cancellationToken)
    {
        foreach (var surface in LlmSurfaces)
        {
            await CallAsync(HttpMethod.Put, $"sandbox/llm/{surface}/fault",
                new JsonObject { ["kind"] = "fail", ["status"] = status, ["message"] = "chaos drill: provider down" }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ClearLlmFaultsAsync(CancellationToken cancellationToken)
    {
        foreach (var surface in LlmSurfaces)
        {
            await CallAsync(HttpMethod.Delete, $"sandbox/llm/{surface}/fault", null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The Camunda stand-in's engine answers 503 while <paramref name="down"/>.</summary>
    public Task SetCamundaDownAsync(bool down, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Put, "sandbox/camunda/switches", new JsonObject { ["engineDown"] = down }, cancellationToken);

    /// <summary>
    /// Every <c>sendMessage</c> of the bot fails with <paramref name="status"/> (429 with <c>parameters.retry_after</c> =
    /// <paramref name="retryAfter"/>) until <see cref="ClearTelegramFaultsAsync"/>.
    /// </summary>
    public Task FailTelegramSendsAsync(int status, int retryAfter, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, Bot("/faults"), new JsonObject
        {
            ["method"] = "sendMessage", ["statusCode"] = status, ["retryAfter"] = status == 429 ? retryAfter : null, ["count"] = 100_000,
        }, cancellationToken);

    public Task ClearTelegramFaultsAsync(CancellationToken cancellationToken) => CallAsync(HttpMethod.Delete, Bot("/faults"), null, cancellationToken);

    private async Task<IEnumerable<JsonObject>> ActionsAsync(string query, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, Bot(query), null, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken).ConfigureAwait(false) ?? []).OfType<JsonObject>();
    }

    private static long ChatId(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? long.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture) : node.GetValue<long>();

    private string Bot(string rest) => "sandbox/telegram/bots/" + botToken + rest;

    private async Task CallAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(sandbox, path)) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException(
                $"{method} /{path.Replace(botToken, "***", StringComparison.Ordinal)} answered {(int)response.StatusCode}: {problem}", null, response.StatusCode);
        }
    }
}
