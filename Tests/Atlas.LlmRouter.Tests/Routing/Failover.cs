using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.LlmRouter.Tests.Support;

namespace Atlas.LlmRouter.Tests.Routing;

/// <summary>Provider order and failover over the real bus: Ollama, then the OpenAI-compatible endpoint, then rules, then the apology.</summary>
public sealed class Failover
{
    [Fact]
    public async Task Ollama_answers_first_when_it_is_healthy()
    {
        await using var world = await RouterWorld.StartAsync();

        var reply = await world.AskAsync("What is the capital of France?");

        reply.Provider.Should().Be("ollama");
        reply.Text.Should().StartWith("[sandbox model] You asked: \"What is the capital of France?\"");
        (await world.Llm.CountAsync("openai")).Should().Be(0);
    }

    [Fact]
    public async Task A_failing_ollama_hands_over_to_the_openai_endpoint_with_the_bearer_key()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 500 });

        var reply = await world.AskAsync("Tell me about billing");

        reply.Provider.Should().Be("openai");
        reply.Text.Should().Contain("[sandbox model]");
    }

    [Fact]
    public async Task Without_any_model_a_greeting_gets_the_rule_based_answer()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 503 });
        await world.Llm.SetFaultAsync("openai", new { kind = "fail", status = 502 });

        var reply = await world.AskAsync("Привет!", "ru");

        reply.Provider.Should().Be("rules");
        reply.Text.Should().StartWith("Здравствуйте!");
    }

    [Fact]
    public async Task A_hanging_provider_is_given_up_after_its_timeout_and_the_next_one_answers()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["LlmRouter:Ollama:Timeout"] = "00:00:00.500" });
        await world.Llm.SetFaultAsync("ollama", new { kind = "hang" });

        var reply = await world.AskAsync("Are you there?");

        reply.Provider.Should().Be("openai");
        (await world.Llm.CountAsync("ollama")).Should().Be(1, "a timeout is not retried");
    }

    [Fact]
    public async Task With_every_provider_hanging_the_user_gets_the_apology_in_their_language_within_the_deadline()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?>
        {
            ["LlmRouter:Deadline"] = "00:00:02",
            ["LlmRouter:Ollama:Timeout"] = "00:00:30",
            ["LlmRouter:OpenAI:Timeout"] = "00:00:30",
        });
        await world.Llm.SetFaultAsync("ollama", new { kind = "hang" });
        await world.Llm.SetFaultAsync("openai", new { kind = "hang" });
        var clock = Stopwatch.StartNew();

        var russian = await world.AskAsync("Сколько стоит подписка на сервис?", "ru", "conv-ru", 7);
        var elapsed = clock.Elapsed;

        russian.Provider.Should().Be("apology");
        russian.Text.Should().Be("Извините, сейчас я не могу ответить. Пожалуйста, попробуйте ещё раз через несколько минут.");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the deadline is 2 s and the answer reserve keeps the apology inside it");
    }

    [Fact]
    public async Task With_every_provider_failing_an_english_user_gets_the_english_apology()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 500 });
        await world.Llm.SetFaultAsync("openai", new { kind = "fail", status = 401 });

        var reply = await world.AskAsync("Explain quantum tunnelling", "en-GB");

        reply.Provider.Should().Be("apology");
        reply.Text.Should().Be("Sorry, I can't answer right now. Please try again in a few minutes.");
    }

    [Fact]
    public async Task A_5xx_with_retry_after_within_the_budget_is_retried_on_the_same_provider()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["LlmRouter:Retry:Budget"] = "00:00:02" });
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 503, retryAfterSeconds = 1, times = 1 });
        var clock = Stopwatch.StartNew();

        var reply = await world.AskAsync("retry me");

        reply.Provider.Should().Be("ollama");
        (await world.Llm.CountAsync("ollama")).Should().Be(2);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "the retry waited the Retry-After");
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_budget_moves_on_instead_of_waiting()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["LlmRouter:Retry:Budget"] = "00:00:01" });
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 503, retryAfterSeconds = 30, times = 1 });

        var reply = await world.AskAsync("do not wait");

        reply.Provider.Should().Be("openai");
        (await world.Llm.CountAsync("ollama")).Should().Be(1);
    }

    [Fact]
    public async Task The_rate_limited_switch_set_at_run_time_goes_straight_to_the_rules()
    {
        await using var world = await RouterWorld.StartAsync();
        (await world.Http.PutAsJsonAsync(new Uri("/admin/rate-limited", UriKind.Relative), new { enabled = true })).EnsureSuccessStatusCode();

        var greeting = await world.AskAsync("hello");
        var question = await world.AskAsync("What is the meaning of life?");

        greeting.Provider.Should().Be("rules");
        question.Provider.Should().Be("apology", "the rules know no answer and no model may be asked");
        (await world.Llm.CountAsync("ollama")).Should().Be(0);
        (await world.Llm.CountAsync("openai")).Should().Be(0);

        (await world.Http.PutAsJsonAsync(new Uri("/admin/rate-limited", UriKind.Relative), new { enabled = false })).EnsureSuccessStatusCode();
        (await world.AskAsync("And now?")).Provider.Should().Be("ollama");
    }

    [Theory]
    [InlineData("""{"rateLimited":true}""", "'rateLimited'")]
    [InlineData("{}", "'enabled'")]
    [InlineData("""{"enabled":"yes"}""", "$.enabled")]
    public async Task A_switch_body_that_does_not_say_enabled_true_or_false_is_refused_and_changes_nothing(string body, string named)
    {
        await using var world = await RouterWorld.StartAsync();
        (await world.Http.PutAsJsonAsync(new Uri("/admin/rate-limited", UriKind.Relative), new { enabled = true })).EnsureSuccessStatusCode();

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await world.Http.PutAsync(new Uri("/admin/rate-limited", UriKind.Relative), content);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString().Should().Contain(named);
        (await world.Http.GetFromJsonAsync<JsonElement>(new Uri("/admin/rate-limited", UriKind.Relative))).GetProperty("enabled").GetBoolean()
            .Should().BeTrue("a misspelt or empty body used to switch it off");
    }

    [Fact]
    public async Task The_rate_limited_switch_starts_from_configuration()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["LLM_RATE_LIMITED"] = "true" });

        (await world.AskAsync("hi")).Provider.Should().Be("rules");
        (await world.Llm.CountAsync("ollama")).Should().Be(0);
    }

    [Fact]
    public async Task The_admin_api_refuses_a_wrong_key()
    {
        await using var world = await RouterWorld.StartAsync();
        using var anonymous = world.Factory.CreateClient();

        var response = await anonymous.PutAsJsonAsync(new Uri("/admin/rate-limited", UriKind.Relative), new { enabled = true });

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
