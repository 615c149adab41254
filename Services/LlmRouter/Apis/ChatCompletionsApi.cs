using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.LlmRouter.Routing;

namespace Atlas.LlmRouter.Apis;

/// <summary>
/// LlmRouter as an OpenAI-compatible endpoint: <c>POST /v1/chat/completions</c>, non-streaming or with
/// <c>"stream": true</c> as server-sent <c>chat.completion.chunk</c> events ending in <c>data: [DONE]</c>. The earlier
/// messages of the request are the conversation (nothing is remembered between HTTP calls). The routing is the bus
/// path's: failover, rules, apology; header <c>X-Atlas-Provider</c> says who answered. Errors use OpenAI's error shape.
/// </summary>
public static class ChatCompletionsApi
{
    public const string ModelName = "atlas-router";

    public static RouteGroupBuilder MapChatCompletionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("OpenAI-compatible");
        api.MapPost("/chat/completions", CompleteAsync).WithName("CreateChatCompletion");
        return api;
    }

    public static async Task<IResult> CompleteAsync(HttpContext http, ChatRouter router, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(router);
        JsonObject? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonObject>(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return Error("We could not parse the JSON body of your request.", null);
        }

        if (body["messages"] is not JsonArray { Count: > 0 } messages || messages.OfType<JsonObject>().Count() != messages.Count)
        {
            return Error("'messages' must be a non-empty array of message objects.", "messages");
        }

        var turns = messages.OfType<JsonObject>().Select(m => new ChatTurn((string?)m["role"] ?? "", ContentOf(m))).ToList();
        if (turns[^1] is not { Role: "user", Content.Length: > 0 } last)
        {
            return Error("The last message must be a non-empty 'user' message.", "messages");
        }

        var history = turns[..^1].Where(t => t.Role is "user" or "assistant").ToList();
        var model = (string?)body["model"] ?? ModelName;
        var stream = body["stream"] is JsonValue flag && flag.TryGetValue<bool>(out var wanted) && wanted;
        var answer = await router.AnswerAsync(new ChatQuestion("http-" + Guid.NewGuid().ToString("N"), 0, last.Content, null, history), http.RequestAborted)
            .ConfigureAwait(false);
        http.Response.Headers["X-Atlas-Provider"] = answer.Provider;
        var id = "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var usage = new JsonObject
        {
            ["prompt_tokens"] = answer.InputTokens, ["completion_tokens"] = answer.OutputTokens, ["total_tokens"] = answer.InputTokens + answer.OutputTokens,
        };
        if (!stream)
        {
            var choice = new JsonObject
            {
                ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer.Text, ["refusal"] = null },
                ["logprobs"] = null, ["finish_reason"] = "stop",
            };
            return Results.Json(new JsonObject
            {
                ["id"] = id, ["object"] = "chat.completion", ["created"] = created, ["model"] = model,
                ["choices"] = new JsonArray(choice), ["usage"] = usage,
            });
        }

        var includeUsage = body["stream_options"]?["include_usage"] is JsonValue usageFlag && usageFlag.TryGetValue<bool>(out var withUsage) && withUsage;
        return Results.Stream(output => StreamAsync(output, id, created, model, answer.Text, includeUsage ? usage : null, http.RequestAborted), "text/event-stream");
    }

    private static async Task StreamAsync(Stream output, string id, long created, string model, string text, JsonObject? usage, CancellationToken cancellationToken)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var delta = new JsonObject { ["content"] = i == 0 ? words[i] : " " + words[i] };
            if (i == 0)
            {
                delta["role"] = "assistant";
            }

            await WriteAsync(output, Chunk(id, created, model, new JsonArray(Choice(delta, null))), cancellationToken).ConfigureAwait(false);
        }

        await WriteAsync(output, Chunk(id, created, model, new JsonArray(Choice([], "stop"))), cancellationToken).ConfigureAwait(false);
        if (usage is not null)
        {
            var last = Chunk(id, created, model, []);
            last["usage"] = usage;
            await WriteAsync(output, last, cancellationToken).ConfigureAwait(false);
        }

        await output.WriteAsync("data: [DONE]\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject Choice(JsonObject delta, string? finishReason) =>
        new() { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason };

    private static JsonObject Chunk(string id, long created, string model, JsonArray choices) =>
        new() { ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model, ["choices"] = choices };

    private static async Task WriteAsync(Stream output, JsonObject data, CancellationToken cancellationToken)
    {
        await output.WriteAsync(Encoding.UTF8.GetBytes("data: " + data.ToJsonString() + "\n\n"), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ContentOf(JsonObject message) => message["content"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => (string?)p["text"] ?? "")),
        _ => "",
    };

    /// <summary>A 400 in OpenAI's error shape.</summary>
    private static IResult Error(string message, string? param) => Results.Json(
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = param, ["code"] = null } },
        statusCode: StatusCodes.Status400BadRequest);
}
