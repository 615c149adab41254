using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Atlas.AppHost.Chaos;

/// <summary>
/// The little of the Sandbox a drill needs, over its HTTP control APIs: users write to the bot, the bot's answers are
/// read back, and the switches for the external systems (LLM surfaces, the Camunda stand-in, Bot API faults) are set.
/// The AppHost cannot reference the test projects, so this is its own small client; a failed call throws with the
/// Sandbox's problem details (never the bot token, which is part of the path).
/// </summary>
internal sealed class SandboxDriver(HttpClient http, string botToken)
{
    /// <summary>One successful <c>sendMessage</c> of the bot: to whom, what, when (the Sandbox's clock).</summary>
    public sealed record Answer(long Seq, long ChatId, string Text, DateTimeOffset At);

    /// <summary>User <paramref name="userId"/> writes <paramref name="text"/> to the bot in their private chat.</summary>
    public Task SendUserMessageAsync(long userId, string text, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Bot("/messages"),
            new JsonObject { ["userId"] = userId, ["firstName"] = "Drill", ["languageCode"] = "en", ["text"] = text }, cancellationToken);

    /// <summary>The bot's successful <c>sendMessage</c> calls after action <paramref name="afterSeq"/>.</summary>
    public async Task<IReadOnlyList<Answer>> AnswersAfterAsync(long afterSeq, CancellationToken cancellationToken)
    {
        var path = Bot(string.Create(CultureInfo.InvariantCulture, $"/actions?after={afterSeq}&method=sendMessage"));
        using var response = await SendCoreAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        var actions = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken).ConfigureAwait(false) ?? [];
        return [.. actions.OfType<JsonObject>()
            .Where(a => a["ok"]?.GetValue<bool>() == true && a["parameters"]?["chat_id"] is not null)
            .Select(a => new Answer(
                a["seq"]!.GetValue<long>(),
                ChatId(a["parameters"]!["chat_id"]!),
                a["parameters"]!["text"]?.GetValue<string>() ?? "",
                a["at"]!.GetValue<DateTimeOffset>()))];
    }

    /// <summary>The newest action's sequence number (0 when the bot made none): answers after it are the drill's.</summary>
    public async Task<long> LastSeqAsync(CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(HttpMethod.Get, Bot("/actions?includeReads=true"), null, cancellationToken).ConfigureAwait(false);
        var actions = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken).ConfigureAwait(false) ?? [];
        return actions.OfType<JsonObject>().Select(a => a["seq"]!.GetValue<long>()).DefaultIfEmpty(0).Max();
    }

    /// <summary>Every LLM surface fails with <paramref name="status"/> until <see cref="ClearLlmFaultsAsync"/>.</summary>
    public async Task FailLlmsAsync(int status, CancellationToken cancellationToken)
    {
        foreach (var surface in LlmSurfaces)
        {
            await SendAsync(HttpMethod.Put, $"sandbox/llm/{surface}/fault",
                new JsonObject { ["kind"] = "fail", ["status"] = status, ["message"] = "chaos drill: provider down" }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ClearLlmFaultsAsync(CancellationToken cancellationToken)
    {
        foreach (var surface in LlmSurfaces)
        {
            await SendAsync(HttpMethod.Delete, $"sandbox/llm/{surface}/fault", null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The Camunda stand-in's engine answers 503 while <paramref name="down"/>.</summary>
    public Task SetCamundaDownAsync(bool down, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, "sandbox/camunda/switches", new JsonObject { ["engineDown"] = down }, cancellationToken);

    /// <summary>
    /// Every <c>sendMessage</c> of the bot fails with <paramref name="status"/> (429 with <c>parameters.retry_after</c> =
    /// <paramref name="retryAfter"/>) until <see cref="ClearTelegramFaultsAsync"/>.
    /// </summary>
    public Task FailTelegramSendsAsync(int status, int retryAfter, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Bot("/faults"), new JsonObject
        {
            ["method"] = "sendMessage", ["statusCode"] = status, ["retryAfter"] = status == 429 ? retryAfter : null, ["count"] = 100_000,
        }, cancellationToken);

    public Task ClearTelegramFaultsAsync(CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, Bot("/faults"), null, cancellationToken);

    private static readonly string[] LlmSurfaces = ["ollama", "openai"];

    private static long ChatId(JsonNode node) =>
        node.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? long.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture)
            : node.GetValue<long>();

    private string Bot(string rest) => "sandbox/telegram/bots/" + botToken + rest;

    private async Task SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(method, path, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
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
