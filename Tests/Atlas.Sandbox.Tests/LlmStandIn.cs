using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Sandbox.Tests;

/// <summary>The LLM stand-in: Ollama and OpenAI shapes, the deterministic labelled model, and its control switches.</summary>
public sealed class LlmStandIn : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private SandboxHost? _host;
    private HttpClient? _http;

    private HttpClient Http => _http ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync(
            new Dictionary<string, string?> { ["Sandbox:Llm:ContextWindowTokens"] = "40" },
            services => services.AddSingleton<TimeProvider>(_time));
        _http = new HttpClient { BaseAddress = _host.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private const string SandboxLabel = "[sandbox model]";

    private static JsonObject Chat(string model, bool? stream, params (string Role, string Content)[] messages)
    {
        var body = new JsonObject { ["model"] = model, ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]) };
        if (stream is { } flag)
        {
            body["stream"] = flag;
        }

        return body;
    }

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostAsync(string path, JsonObject body)
    {
        var response = await Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task Ollama_chat_without_streaming_answers_one_labelled_object_that_echoes_the_passages()
    {
        var (status, body, _) = await PostAsync("api/chat", Chat("sandbox-echo", false,
            ("system", "Use these passages: [doc:kb-1] Reset. [doc:kb-7] Billing."), ("user", "How do I reset?")));

        status.Should().Be(HttpStatusCode.OK);
        var json = JsonNode.Parse(body)!;
        json["done"]!.GetValue<bool>().Should().BeTrue();
        json["done_reason"]!.GetValue<string>().Should().Be("stop");
        json["message"]!["role"]!.GetValue<string>().Should().Be("assistant");
        json["message"]!["content"]!.GetValue<string>().Should().Be("[sandbox model] You asked: \"How do I reset?\". Passages: kb-1, kb-7. Turns: 2.");
        json["prompt_eval_count"]!.GetValue<int>().Should().BeGreaterThan(0);
        json["eval_count"]!.GetValue<int>().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Ollama_chat_streams_newline_delimited_json_by_default_ending_with_done()
    {
        var (status, body, response) = await PostAsync("api/chat", Chat("sandbox-echo:latest", null, ("user", "hello there")));

        status.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-ndjson");
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        lines.Should().HaveCountGreaterThan(2);
        lines[..^1].Should().OnlyContain(l => !l["done"]!.GetValue<bool>());
        lines[^1]["done"]!.GetValue<bool>().Should().BeTrue();
        string.Concat(lines.Select(l => l["message"]!["content"]!.GetValue<string>()))
            .Should().Be("[sandbox model] You asked: \"hello there\". Passages: none. Turns: 1.");
    }

    [Fact]
    public async Task Ollama_lists_the_sandbox_model_and_a_version_and_rejects_unknown_models_with_its_error_shape()
    {
        var tags = JsonNode.Parse(await Http.GetStringAsync(new Uri("api/tags", UriKind.Relative)))!;
        var version = JsonNode.Parse(await Http.GetStringAsync(new Uri("api/version", UriKind.Relative)))!;
        var (status, body, _) = await PostAsync("api/chat", Chat("llama3.2", false, ("user", "hi")));

        tags["models"]![0]!["name"]!.GetValue<string>().Should().Be("sandbox-echo:latest");
        version["version"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        status.Should().Be(HttpStatusCode.NotFound);
        body.Should().Be("""{"error":"model 'llama3.2' not found"}""");
    }

    [Fact]
    public async Task A_model_or_message_field_of_the_wrong_type_is_a_400_in_each_surfaces_shape_not_a_500()
    {
        var openAi = JsonNode.Parse("""{"model":5,"messages":[{"role":"user","content":"hi"}]}""")!.AsObject();
        var ollama = JsonNode.Parse("""{"model":["sandbox-echo"],"messages":[{"role":"user","content":"hi"}],"stream":false}""")!.AsObject();
        var oddMessage = JsonNode.Parse("""{"model":"sandbox-echo","messages":[{"role":5,"content":"x"},{"role":"user","content":[{"type":"text","text":7},{"type":"text","text":"hi"}]}]}""")!.AsObject();

        var (openAiStatus, openAiBody, _) = await PostAsync("v1/chat/completions", openAi);
        var (ollamaStatus, ollamaBody, _) = await PostAsync("api/chat", ollama);
        var (oddStatus, oddBody, _) = await PostAsync("v1/chat/completions", oddMessage);

        openAiStatus.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(openAiBody)!["error"]!["param"]!.GetValue<string>().Should().Be("model");
        ollamaStatus.Should().Be(HttpStatusCode.BadRequest);
        ollamaBody.Should().Be("""{"error":"invalid model name"}""");
        oddStatus.Should().Be(HttpStatusCode.OK, "parts that are no text are skipped, as the stand-in reads only text");
        oddBody.Should().Contain("You asked: \\\"hi\\\"");
    }

    [Fact]
    public async Task OpenAi_chat_completion_has_the_completion_shape_and_usage()
    {
        var (status, body, _) = await PostAsync("v1/chat/completions", Chat("sandbox-echo", null, ("user", "what is [doc:faq-2] about")));

        status.Should().Be(HttpStatusCode.OK);
        var json = JsonNode.Parse(body)!;
        json["object"]!.GetValue<string>().Should().Be("chat.completion");
        json["id"]!.GetValue<string>().Should().StartWith("chatcmpl-");
        json["choices"]![0]!["finish_reason"]!.GetValue<string>().Should().Be("stop");
        json["choices"]![0]!["message"]!["content"]!.GetValue<string>().Should().Contain("Passages: faq-2.");
        var usage = json["usage"]!;
        (usage["prompt_tokens"]!.GetValue<int>() + usage["completion_tokens"]!.GetValue<int>()).Should().Be(usage["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task OpenAi_streams_server_sent_chunks_with_usage_then_done()
    {
        var request = Chat("sandbox-echo", true, ("user", "stream me"));
        request["stream_options"] = new JsonObject { ["include_usage"] = true };
        var (status, body, response) = await PostAsync("v1/chat/completions", request);

        status.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        events[^1].Should().Be("[DONE]");
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        chunks.Should().OnlyContain(c => c["object"]!.GetValue<string>() == "chat.completion.chunk");
        chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>().Should().Be("assistant");
        string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => (string?)c["choices"]![0]!["delta"]!["content"] ?? ""))
            .Should().Be("[sandbox model] You asked: \"stream me\". Passages: none. Turns: 1.");
        chunks[^1]["usage"]!["total_tokens"]!.GetValue<int>().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task OpenAi_refuses_a_prompt_longer_than_the_context_window()
    {
        var (status, body, _) = await PostAsync("v1/chat/completions", Chat("sandbox-echo", null, ("user", string.Join(' ', Enumerable.Repeat("word", 60)))));

        status.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>().Should().Be("context_length_exceeded");
    }

    [Fact]
    public async Task Scripted_replies_answer_matching_prompts_in_both_shapes_and_the_echo_answers_the_rest()
    {
        (await Http.PostAsJsonAsync(new Uri("sandbox/llm/ollama/replies", UriKind.Relative), new { reply = "spam", whenContains = "MK-1" })).EnsureSuccessStatusCode();
        (await Http.PostAsJsonAsync(new Uri("sandbox/llm/openai/replies", UriKind.Relative), new { reply = "ham" })).EnsureSuccessStatusCode();

        var scripted = await PostAsync("api/chat", Chat("sandbox-echo", false, ("system", "Classify."), ("user", "buy now MK-1")));
        var streamed = await PostAsync("api/chat", Chat("sandbox-echo", null, ("user", "again MK-1")));
        var echoed = await PostAsync("api/chat", Chat("sandbox-echo", false, ("user", "no marker")));
        var openAi = await PostAsync("v1/chat/completions", Chat("sandbox-echo", null, ("user", "anything")));
        var invalid = await Http.PostAsJsonAsync(new Uri("sandbox/llm/ollama/replies", UriKind.Relative), new { reply = "" });

        JsonNode.Parse(scripted.Body)!["message"]!["content"]!.GetValue<string>().Should().Be("spam");
        string.Concat(streamed.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!["message"]!["content"]!.GetValue<string>())).Should().Be("spam");
        JsonNode.Parse(echoed.Body)!["message"]!["content"]!.GetValue<string>().Should().StartWith(SandboxLabel);
        JsonNode.Parse(openAi.Body)!["choices"]![0]!["message"]!["content"]!.GetValue<string>().Should().Be("ham");
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Http.GetFromJsonAsync<JsonArray>(new Uri("sandbox/llm/ollama/replies", UriKind.Relative)))!.Should().ContainSingle();
        (await Http.DeleteAsync(new Uri("sandbox/llm/ollama/replies", UriKind.Relative))).EnsureSuccessStatusCode();
        var afterClear = await PostAsync("api/chat", Chat("sandbox-echo", false, ("user", "buy now MK-1")));
        JsonNode.Parse(afterClear.Body)!["message"]!["content"]!.GetValue<string>().Should().StartWith(SandboxLabel);
    }

    [Fact]
    public async Task A_fail_switch_answers_500_in_each_surfaces_error_shape_for_the_given_number_of_requests()
    {
        (await Http.PutAsJsonAsync(new Uri("sandbox/llm/openai/fault", UriKind.Relative), new { kind = "fail", times = 1 })).EnsureSuccessStatusCode();
        (await Http.PutAsJsonAsync(new Uri("sandbox/llm/ollama/fault", UriKind.Relative), new { kind = "fail", status = 503 })).EnsureSuccessStatusCode();

        var failed = await PostAsync("v1/chat/completions", Chat("sandbox-echo", null, ("user", "hi")));
        var recovered = await PostAsync("v1/chat/completions", Chat("sandbox-echo", null, ("user", "hi")));
        var ollama = await PostAsync("api/chat", Chat("sandbox-echo", false, ("user", "hi")));

        failed.Status.Should().Be(HttpStatusCode.InternalServerError);
        JsonNode.Parse(failed.Body)!["error"]!["type"]!.GetValue<string>().Should().Be("server_error");
        recovered.Status.Should().Be(HttpStatusCode.OK);
        ollama.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        JsonNode.Parse(ollama.Body)!["error"]!.GetValue<string>().Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_rate_limit_switch_answers_429_with_retry_after()
    {
        (await Http.PutAsJsonAsync(new Uri("sandbox/llm/openai/fault", UriKind.Relative), new { kind = "rateLimit", retryAfterSeconds = 7 })).EnsureSuccessStatusCode();

        var (status, body, response) = await PostAsync("v1/chat/completions", Chat("sandbox-echo", null, ("user", "hi")));

        status.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7));
        JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>().Should().Be("rate_limit_exceeded");
    }

    [Fact]
    public async Task A_slow_switch_answers_only_after_the_delay_on_the_sandbox_clock()
    {
        (await Http.PutAsJsonAsync(new Uri("sandbox/llm/ollama/fault", UriKind.Relative), new { kind = "slow", delayMs = 5000 })).EnsureSuccessStatusCode();

        var pending = PostAsync("api/chat", Chat("sandbox-echo", false, ("user", "hi")));
        var state = _host!.Services.GetRequiredService<Atlas.Sandbox.Llm.LlmSurfaceState>();
        await Eventually.PollAsync(() => Task.FromResult(state.Held("ollama")), n => n == 1);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        state.Held("ollama").Should().Be(1, "the answer waits for the whole delay");
        pending.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(0.1));

        (await pending.WaitAsync(TimeSpan.FromSeconds(30))).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_hang_switch_never_answers_until_the_caller_gives_up()
    {
        (await Http.PutAsJsonAsync(new Uri("sandbox/llm/openai/fault", UriKind.Relative), new { kind = "hang" })).EnsureSuccessStatusCode();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var call = () => Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative),
            new StringContent(Chat("sandbox-echo", null, ("user", "hi")).ToJsonString(), Encoding.UTF8, "application/json"), giveUp.Token);

        await call.Should().ThrowAsync<OperationCanceledException>();
        var requests = await Http.GetFromJsonAsync<JsonObject>(new Uri("sandbox/llm/openai/requests", UriKind.Relative));
        requests!["count"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task The_control_api_rejects_unknown_surfaces_and_bad_switches_with_problem_details()
    {
        var unknown = await Http.PutAsJsonAsync(new Uri("sandbox/llm/claude/fault", UriKind.Relative), new { kind = "fail" });
        var bad = await Http.PutAsJsonAsync(new Uri("sandbox/llm/ollama/fault", UriKind.Relative), new { kind = "explode" });

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("kind must be one of");
    }
}
