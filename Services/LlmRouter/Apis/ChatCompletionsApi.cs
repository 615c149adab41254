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

    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool", "function"];

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

        var (request, error) = Parse(body);
        if (request is null)
        {
            return error!;
        }

        var turns = request.Turns;
        if (turns[^1] is not { Role: "user", Content.Length: > 0 } last)
        {
            return Error("The last message must be a non-empty 'user' message.", "messages");
        }

        var history = turns[..^1].Where(t => t.Role is "user" or "assistant").ToList();
        var (model, stream) = (request.Model, request.Stream);
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

        return Results.Stream(output => StreamAsync(output, id, created, model, answer.Text, request.IncludeUsage ? usage : null, http.RequestAborted), "text/event-stream");
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

    /// <summary>
    /// The fields this endpoint reads, each of the type OpenAI's API gives it; a field of another type is a 400 naming it
    /// (as OpenAI answers), never a 500 or a silent default (<c>"stream": "yes"</c> must not answer without streaming).
    /// </summary>
    private static (CompletionRequest? Request, IResult? Error) Parse(JsonObject body)
    {
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return (null, Error("'messages' must be a non-empty array of message objects.", "messages"));
        }

        var turns = new List<ChatTurn>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message)
            {
                return (null, Error("'messages' must be a non-empty array of message objects.", $"messages[{i}]"));
            }

            if (TextOf(message["role"]) is not { } role || !Roles.Contains(role))
            {
                return (null, Error($"'messages[{i}].role' must be one of {string.Join(", ", Roles.Select(r => $"'{r}'"))}.", $"messages[{i}].role"));
            }

            if (ContentOf(message["content"]) is not { } content)
            {
                return (null, Error($"'messages[{i}].content' must be a string, null, or an array of content parts whose 'text' is a string.", $"messages[{i}].content"));
            }

            turns.Add(new ChatTurn(role, content));
        }

        if (body["model"] is { } modelNode && TextOf(modelNode) is null)
        {
            return (null, Error("'model' must be a string.", "model"));
        }

        if (FlagOf(body["stream"]) is not { } stream)
        {
            return (null, Error("'stream' must be a boolean.", "stream"));
        }

        var includeUsage = body["stream_options"] switch
        {
            null => false,
            JsonObject options => FlagOf(options["include_usage"]),
            _ => null,
        };
        if (includeUsage is null)
        {
            return (null, Error("'stream_options' must be an object whose 'include_usage' is a boolean.", "stream_options"));
        }

        // One routed answer: a client asking for more choices would index past the one it gets.
        if (body["n"] is { } choices && !(choices is JsonValue n && n.TryGetValue<int>(out var count) && count == 1))
        {
            return (null, Error("'n' must be 1: the router answers with one choice.", "n"));
        }

        return (new CompletionRequest(turns, TextOf(body["model"]) ?? ModelName, stream, includeUsage.Value), null);
    }

    private static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    // Absent or null is false; a boolean is itself; anything else is not a flag (null).
    private static bool? FlagOf(JsonNode? node) => node switch
    {
        null => false,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        _ => null,
    };

    // A message's text: a string, nothing (an assistant's tool call), or content parts, of which the text parts count
    // (an image part adds no text). Null when it is none of these.
    private static string? ContentOf(JsonNode? content)
    {
        switch (content)
        {
            case null:
                return "";
            case JsonValue value:
                return value.TryGetValue<string>(out var text) ? text : null;
            case JsonArray parts:
                var joined = new StringBuilder();
                foreach (var part in parts)
                {
                    if (part is not JsonObject fields)
                    {
                        return null;
                    }

                    if (fields["text"] is { } partText)
                    {
                        if (TextOf(partText) is not { } piece)
                        {
                            return null;
                        }

                        joined.Append(piece);
                    }
                }

                return joined.ToString();
            default:
                return null;
        }
    }

    private sealed record CompletionRequest(List<ChatTurn> Turns, string Model, bool Stream, bool IncludeUsage);

    /// <summary>A 400 in OpenAI's error shape.</summary>
    private static IResult Error(string message, string? param) => Results.Json(
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = param, ["code"] = null } },
        statusCode: StatusCodes.Status400BadRequest);
}
