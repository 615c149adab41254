using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Atlas.Sandbox.Llm;

/// <summary>
/// The OpenAI-compatible surface: <c>POST /v1/chat/completions</c> (one <c>chat.completion</c>, or with
/// <c>"stream": true</c> server-sent <c>chat.completion.chunk</c> events ending in <c>data: [DONE]</c>) and
/// <c>GET /v1/models</c>. Errors use OpenAI's <c>{"error": {message, type, param, code}}</c>.
/// </summary>
internal static class OpenAiEndpoints
{
    public static void MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("LLM Sandbox: OpenAI").DisableAntiforgery();
        api.MapPost("/chat/completions", ChatAsync).WithName("SandboxOpenAiChat");
        api.MapGet("/models", Models).WithName("SandboxOpenAiModels");
    }

    public static IResult Models(HttpContext http, IOptions<LlmSandboxOptions> options, TimeProvider time)
    {
        if (Unauthorized(http, options.Value) is { } denied)
        {
            return denied;
        }

        var model = new JsonObject { ["id"] = options.Value.Model, ["object"] = "model", ["created"] = time.GetUtcNow().ToUnixTimeSeconds(), ["owned_by"] = "atlas-sandbox" };
        return Results.Json(new JsonObject { ["object"] = "list", ["data"] = new JsonArray(model) });
    }

    public static async Task<IResult> ChatAsync(HttpContext http, LlmSurfaceState state, IOptions<LlmSandboxOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (Unauthorized(http, settings) is { } denied)
        {
            return denied;
        }

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
            return Invalid("We could not parse the JSON body of your request.", null, null);
        }

        if (body["model"] is { } given && SandboxModel.TextOf(given) is null)
        {
            return Invalid($"Invalid type for 'model': expected a string, but got {given.GetValueKind().ToString().ToLowerInvariant()} instead.", "model", "invalid_type");
        }

        var model = SandboxModel.TextOf(body["model"]);
        if (string.IsNullOrEmpty(model))
        {
            return Invalid("you must provide a model parameter", "model", null);
        }

        if (model != settings.Model)
        {
            return LlmFaultResponder.Error(LlmSurfaceState.OpenAi, StatusCodes.Status404NotFound,
                $"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found");
        }

        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return Invalid("[] is too short - 'messages'", "messages", null);
        }

        var stream = body["stream"] is JsonValue flag && flag.TryGetValue<bool>(out var wanted) && wanted;
        var includeUsage = body["stream_options"]?["include_usage"] is JsonValue usageFlag && usageFlag.TryGetValue<bool>(out var usage) && usage;
        var fault = state.Arrive(new LlmRecordedRequest(LlmSurfaceState.OpenAi, model, (JsonArray)messages.DeepClone(), stream, time.GetUtcNow()));
        if (await LlmFaultResponder.ApplyAsync(fault, LlmSurfaceState.OpenAi, http, time, state).ConfigureAwait(false) is { } failure)
        {
            return failure;
        }

        var promptTokens = SandboxModel.CountPromptTokens(messages);
        if (promptTokens > settings.ContextWindowTokens)
        {
            return Invalid(
                $"This model's maximum context length is {settings.ContextWindowTokens} tokens. However, your messages resulted in {promptTokens} tokens.",
                "messages", "context_length_exceeded");
        }

        var answer = SandboxModel.Answer(messages, state, LlmSurfaceState.OpenAi);
        var id = "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var usageJson = Usage(promptTokens, SandboxModel.CountTokens(answer));
        if (!stream)
        {
            var choice = new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            };
            return Results.Json(new JsonObject
            {
                ["id"] = id, ["object"] = "chat.completion", ["created"] = created, ["model"] = model,
                ["choices"] = new JsonArray(choice), ["usage"] = usageJson, ["system_fingerprint"] = "fp_sandbox",
            });
        }

        return Results.Stream(async output =>
        {
            var first = true;
            foreach (var piece in SandboxModel.Pieces(answer))
            {
                var delta = first ? new JsonObject { ["role"] = "assistant", ["content"] = piece } : new JsonObject { ["content"] = piece };
                first = false;
                await WriteEventAsync(output, Chunk(id, created, model, delta, null), http.RequestAborted).ConfigureAwait(false);
            }

            await WriteEventAsync(output, Chunk(id, created, model, [], "stop"), http.RequestAborted).ConfigureAwait(false);
            if (includeUsage)
            {
                var last = Chunk(id, created, model, null, null);
                last["choices"] = new JsonArray();
                last["usage"] = usageJson;
                await WriteEventAsync(output, last, http.RequestAborted).ConfigureAwait(false);
            }

            await output.WriteAsync("data: [DONE]\n\n"u8.ToArray(), http.RequestAborted).ConfigureAwait(false);
            await output.FlushAsync(http.RequestAborted).ConfigureAwait(false);
        }, "text/event-stream");
    }

    private static JsonObject Chunk(string id, long created, string model, JsonObject? delta, string? finishReason)
    {
        var choices = delta is null ? null : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason });
        return new JsonObject
        {
            ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model,
            ["system_fingerprint"] = "fp_sandbox", ["choices"] = choices,
        };
    }

    private static JsonObject Usage(int prompt, int completion) =>
        new() { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion };

    private static async Task WriteEventAsync(Stream output, JsonObject data, CancellationToken cancellationToken)
    {
        await output.WriteAsync(Encoding.UTF8.GetBytes("data: " + data.ToJsonString() + "\n\n"), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IResult? Unauthorized(HttpContext http, LlmSandboxOptions settings)
    {
        if (string.IsNullOrEmpty(settings.ApiKey))
        {
            return null;
        }

        var given = http.Request.Headers.Authorization.ToString();
        var expected = "Bearer " + settings.ApiKey;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))
            ? null
            : LlmFaultResponder.Error(LlmSurfaceState.OpenAi, StatusCodes.Status401Unauthorized,
                "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }

    private static IResult Invalid(string message, string? param, string? code) =>
        LlmFaultResponder.Error(LlmSurfaceState.OpenAi, StatusCodes.Status400BadRequest, message, "invalid_request_error", code, param);
}
