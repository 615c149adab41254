using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Tests.Support;

namespace Atlas.LlmRouter.Tests.Verdicts;

/// <summary>
/// Moderation's <see cref="SpamVerdictRequested"/> over the real bus, answered with the model chain at the Sandbox's
/// LLM stand-in: a clear one-word answer is the verdict, anything else and every fallback is <c>unknown</c>.
/// </summary>
public sealed class SpamVerdictsOverBus
{
    [Fact]
    public async Task Clear_answers_become_spam_or_ham_and_anything_else_unknown()
    {
        await using var world = await RouterWorld.StartAsync();
        (string Answer, string Verdict)[] cases =
        [
            ("spam", "spam"), ("  Ham. ", "ham"), ("**SPAM**", "spam"), ("Verdict: ham", "ham"),
            ("I am not sure.", "unknown"), ("spam or ham", "unknown"), ("This looks like spam to me", "unknown"),
        ];
        for (var i = 0; i < cases.Length; i++)
        {
            await world.Llm.ScriptAsync("ollama", $"case-{i}-marker", cases[i].Answer);
        }

        for (var i = 0; i < cases.Length; i++)
        {
            var reply = await world.VerdictAsync($"Message number case-{i}-marker", null, "link");

            reply.Verdict.Should().Be(cases[i].Verdict, "the model answered \"{0}\"", cases[i].Answer);
            reply.Provider.Should().Be("ollama");
        }

        var prompt = (await world.Llm.RequestsAsync("ollama"))[0];
        ((string?)prompt[0]!["role"]).Should().Be("system");
        ((string?)prompt[0]!["content"]).Should().Contain("exactly one lowercase word: spam or ham");
        ((string?)prompt[1]!["content"]).Should().Contain("Message number case-0-marker").And.Contain("The moderation rules noted: link.");
        (await world.Llm.CountAsync("openai")).Should().Be(0);
    }

    [Fact]
    public async Task When_every_provider_fails_the_verdict_is_unknown_while_a_chat_would_get_the_rule_based_answer()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 503 });
        await world.Llm.SetFaultAsync("openai", new { kind = "fail", status = 502 });

        var verdict = await world.VerdictAsync("Hello! Cheap pills at pills.example");
        var chat = await world.AskAsync("Hello!");

        verdict.Verdict.Should().Be("unknown");
        verdict.Provider.Should().Be("none");
        verdict.Reason.Should().Contain("ollama failed").And.Contain("openai failed");
        chat.Provider.Should().BeOneOf("rules", "apology");
    }

    [Fact]
    public async Task With_the_rate_limited_switch_on_no_model_is_asked_and_the_verdict_is_unknown()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["LlmRouter:RateLimited"] = "true" });
        await world.Llm.ScriptAsync("ollama", "limited-marker", "spam");

        var verdict = await world.VerdictAsync("Buy now limited-marker");

        verdict.Verdict.Should().Be("unknown");
        (await world.Llm.CountAsync("ollama")).Should().Be(0);
        (await world.Llm.CountAsync("openai")).Should().Be(0);
    }

    [Fact]
    public async Task Without_any_configured_provider_the_verdict_is_unknown()
    {
        await using var world = await RouterWorld.StartAsync(withOllama: false, withOpenAi: false);

        var verdict = await world.VerdictAsync("Join my channel t.me/spam");

        verdict.Should().Be(new SpamVerdictReplied("unknown", "none", "no model provider is configured"));
    }

    [Fact]
    public async Task Hanging_models_are_given_up_before_the_askers_timeout_so_it_still_gets_an_answer()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.Llm.SetFaultAsync("ollama", new { kind = "hang" });
        await world.Llm.SetFaultAsync("openai", new { kind = "hang" });

        var verdict = await world.VerdictAsync("Anyone there?", TimeSpan.FromSeconds(20));

        verdict.Verdict.Should().Be("unknown", "the answer came before the request expired (else the request client had thrown)");
        verdict.Reason.Should().Contain("too slow");
    }
}
