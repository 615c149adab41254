using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Atlas.Sandbox.Llm;

/// <summary>
/// The Ollama-compatible surface: <c>POST /api/chat</c> (newline-delimited JSON stream by default, one object with
/// <c>"stream": false</c>), <c>GET /api/tags</c> and <c>GET /api/version</c>, shaped as in Ollama's API reference.
/// </summary>
internal static class OllamaEndpoints
{
    public const string Version = "0.9.0-sandbox";

    public static void MapOllamaEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("LLM Sandbox: Ollama").DisableAntiforgery();
        api.MapPost("/chat", ChatAsync).WithName("SandboxOllamaChat");
        api.MapGet("/tags", Tags).WithName("SandboxOllamaTags");
        api.MapGet("/version", () => TypedResults.Ok(new JsonObject { ["version"] = Version })).WithName("SandboxOllamaVersion");
    }

    public static IResult Tags(IOptions<LlmSandboxOptions> options, TimeProvider time)
    {
        var model = options.Value.Model + ":latest";
        var entry = new JsonObject
        {
            ["name"] = model,
            ["model"] = model,
            ["modified_at"] = time.GetUtcNow().ToString("O"),
            ["size"] = 1024,
            ["digest"] = "sandbox0000000000000000000000000000000000000000000000000000000000",
            ["details"] = new JsonObject
            {
                ["parent_model"] = "", ["format"] = "gguf", ["family"] = "sandbox", ["families"] = new JsonArray("sandbox"),
                ["parameter_size"] = "0B", ["quantization_level"] = "none",
            },
        };
        return TypedResults.Ok(new JsonObject { ["models"] = new JsonArray(entry) });
    }

    public static async Task<IResult> ChatAsync(HttpContext http, LlmSurfaceState state, IOptions<LlmSandboxOptions> options, TimeProvider time)
    {
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
            return Error(StatusCodes.Status400BadRequest, "invalid request body");
        }

        if (body["model"] is { } given && SandboxModel.TextOf(given) is null)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid model name");
        }

        var model = SandboxModel.TextOf(body["model"]);
        if (string.IsNullOrEmpty(model))
        {
            return Error(StatusCodes.Status400BadRequest, "model is required");
        }

        var served = options.Value.Model;
        if (model != served && model != served + ":latest")
        {
            return Error(StatusCodes.Status404NotFound, $"model '{model}' not found");
        }

        if (body["messages"] is not JsonArray messages)
        {
            messages = [];
        }

        var stream = body["stream"] is not JsonValue flag || !flag.TryGetValue<bool>(out var wanted) || wanted;
        var fault = state.Arrive(new LlmRecordedRequest(LlmSurfaceState.Ollama, model, (JsonArray)messages.DeepClone(), stream, time.GetUtcNow()));
        if (await LlmFaultResponder.ApplyAsync(fault, LlmSurfaceState.Ollama, http, time, state).ConfigureAwait(false) is { } failure)
        {
            return failure;
        }

        var answer = SandboxModel.Answer(messages, state, LlmSurfaceState.Ollama);
        var promptTokens = SandboxModel.CountPromptTokens(messages);
        var evalTokens = SandboxModel.CountTokens(answer);
        if (!stream)
        {
            return Results.Json(Final(model, time, answer, promptTokens, evalTokens));
        }

        return Results.Stream(async output =>
        {
            foreach (var piece in SandboxModel.Pieces(answer))
            {
                var chunk = new JsonObject
                {
                    ["model"] = model, ["created_at"] = time.GetUtcNow().ToString("O"),
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = piece }, ["done"] = false,
                };
                await WriteLineAsync(output, chunk, http.RequestAborted).ConfigureAwait(false);
            }

            await WriteLineAsync(output, Final(model, time, "", promptTokens, evalTokens), http.RequestAborted).ConfigureAwait(false);
        }, "application/x-ndjson");
    }

    private static JsonObject Final(string model, TimeProvider time, string content, int promptTokens, int evalTokens) => new()
    {
        ["model"] = model,
        ["created_at"] = time.GetUtcNow().ToString("O"),
        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
        ["done_reason"] = "stop",
        ["done"] = true,
        ["total_duration"] = 1_000_000,
        ["load_duration"] = 0,
        ["prompt_eval_count"] = promptTokens,
        ["prompt_eval_duration"] = 100_000,
        ["eval_count"] = evalTokens,
        ["eval_duration"] = 900_000,
    };

    private static async Task WriteLineAsync(Stream output, JsonObject chunk, CancellationToken cancellationToken)
    {
        var line = Encoding.UTF8.GetBytes(chunk.ToJsonString() + "\n");
        await output.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IResult Error(int status, string message) =>
        LlmFaultResponder.Error(LlmSurfaceState.Ollama, status, message, "", null);
}
