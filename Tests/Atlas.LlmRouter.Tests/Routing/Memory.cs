using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Conversation;
using Atlas.LlmRouter.Tests.Knowledge;
using Atlas.LlmRouter.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.LlmRouter.Tests.Routing;

/// <summary>What the router remembers and reuses: grounding passages, conversation context, the response cache, quotas, replies.</summary>
public sealed class Memory
{
    [Fact]
    public async Task Grounding_puts_the_top_passages_into_the_prompt_and_the_answer_names_its_sources()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.AddDocumentsAsync(KnowledgeCorpus.Documents);

        var reply = await world.AskAsync("How do I reset my password?");

        reply.Provider.Should().Be("ollama");
        reply.Text.Should().Contain("Passages: en-password", "the sandbox model lists the passages it was given, best first");
        reply.Text.Should().EndWith("Resetting your password [doc:en-password]").And.Contain("Sources: ");
        var prompt = (await world.Llm.RequestsAsync("ollama"))[0];
        prompt[0]!["role"]!.GetValue<string>().Should().Be("system");
        prompt[0]!["content"]!.GetValue<string>().Should().Contain("[doc:en-password] Resetting your password: To reset a forgotten password");
    }

    [Fact]
    public async Task Without_models_a_question_the_knowledge_base_answers_gets_the_faq_reply_with_its_source()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.AddDocumentsAsync(KnowledgeCorpus.Documents);
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 500 });
        await world.Llm.SetFaultAsync("openai", new { kind = "fail", status = 500 });

        var reply = await world.AskAsync("Как сбросить пароль?", "ru");

        reply.Provider.Should().Be("rules");
        reply.Text.Should().StartWith("Из базы знаний: Сброс пароля — ").And.EndWith("Источники: Сброс пароля [doc:ru-password]");
    }

    [Fact]
    public async Task The_conversation_context_carries_earlier_turns_and_a_new_conversation_after_reset_starts_empty()
    {
        await using var world = await RouterWorld.StartAsync();

        await world.AskAsync("My name is Ada.", conversationId: "conv-a");
        var second = await world.AskAsync("What is my name?", conversationId: "conv-a");
        var afterReset = await world.AskAsync("What is my name?", conversationId: "conv-b");

        second.Text.Should().Contain("Turns: 4.", "system, the first question, its answer, the new question");
        var prompt = (await world.Llm.RequestsAsync("ollama"))[1];
        prompt[1]!["content"]!.GetValue<string>().Should().Be("My name is Ada.");
        prompt[2]!["role"]!.GetValue<string>().Should().Be("assistant");
        afterReset.Text.Should().Contain("Turns: 2.", "the gateway's /reset starts a new conversation id, which has no context");
    }

    [Fact]
    public async Task Clearing_a_conversation_forgets_its_context()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.AskAsync("Remember the number 7.", conversationId: "conv-c");

        (await world.Service<ConversationStore>().ClearAsync("conv-c", CancellationToken.None)).Should().BeTrue();
        var reply = await world.AskAsync("Which number?", conversationId: "conv-c");

        reply.Text.Should().Contain("Turns: 2.");
    }

    [Fact]
    public async Task Context_is_trimmed_to_its_character_budget_oldest_turns_first()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["LlmRouter:Context:MaxChars"] = "300" });

        await world.AskAsync("First question " + new string('a', 100), conversationId: "conv-t");
        await world.AskAsync("Second question " + new string('b', 100), conversationId: "conv-t");
        await world.AskAsync("Third question", conversationId: "conv-t");

        var prompt = (await world.Llm.RequestsAsync("ollama"))[2];
        var texts = prompt.Select(m => m!["content"]!.GetValue<string>()).ToList();
        texts.Should().NotContain(t => t.StartsWith("First question", StringComparison.Ordinal));
        texts.Should().Contain(t => t.StartsWith("Second question", StringComparison.Ordinal));
        texts[^1].Should().Be("Third question");
    }

    [Fact]
    public async Task A_prompt_too_long_for_a_providers_window_loses_its_oldest_context_not_the_question()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?>
        {
            ["LlmRouter:Ollama:ContextWindowChars"] = "600",
            ["LlmRouter:Context:MaxChars"] = "100000",
        });

        await world.AskAsync("Old story " + new string('x', 300), conversationId: "conv-w");
        var reply = await world.AskAsync("Short question?", conversationId: "conv-w");

        reply.Provider.Should().Be("ollama");
        var prompt = (await world.Llm.RequestsAsync("ollama"))[1];
        prompt.Sum(m => m!["content"]!.GetValue<string>().Length).Should().BeLessThanOrEqualTo(600);
        prompt[^1]!["content"]!.GetValue<string>().Should().Be("Short question?");
    }

    [Fact]
    public async Task A_context_length_error_from_the_provider_is_answered_with_a_shorter_prompt_not_an_error()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?>
        {
            ["LlmRouter:Ollama:BaseUrl"] = null,
            ["LlmRouter:OpenAI:ContextWindowChars"] = "100000",
        }, withOllama: false);
        await world.Llm.SetFaultAsync("openai", new { kind = "fail", status = 400, message = "This model's maximum context length is 10 tokens (context_length_exceeded).", times = 1 });

        var reply = await world.AskAsync("Fit me in");

        reply.Provider.Should().Be("openai");
        (await world.Llm.CountAsync("openai")).Should().Be(2);
    }

    [Fact]
    public async Task A_cache_hit_answers_an_identical_prompt_without_asking_the_provider()
    {
        await using var world = await RouterWorld.StartAsync();

        var first = await world.AskAsync("What time zones do you support?", conversationId: "c1");
        var second = await world.AskAsync("What time zones do you support?", conversationId: "c2");

        second.Text.Should().Be(first.Text);
        second.Provider.Should().Be("ollama");
        (await world.Llm.CountAsync("ollama")).Should().Be(1);
    }

    [Fact]
    public async Task A_cached_answer_is_not_reused_once_the_knowledge_base_gives_the_question_other_passages()
    {
        await using var world = await RouterWorld.StartAsync();

        var before = await world.AskAsync("How do I reset my password?", conversationId: "k1");
        await world.AddDocumentsAsync(KnowledgeCorpus.Documents);
        var after = await world.AskAsync("How do I reset my password?", conversationId: "k2");
        var again = await world.AskAsync("How do I reset my password?", conversationId: "k3");

        before.Text.Should().NotContain("[doc:");
        after.Text.Should().Contain("Sources: ").And.Contain("[doc:en-password]");
        again.Text.Should().Be(after.Text, "the answer grounded on the new passages is cached in turn");
        (await world.Llm.CountAsync("ollama")).Should().Be(2, "the answer given without passages does not serve the question once it finds some");
    }

    [Fact]
    public async Task An_unreadable_cache_entry_is_a_miss_and_the_new_answer_replaces_it()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.AskAsync("Is this cached?", conversationId: "u1");
        var redis = world.Service<StackExchange.Redis.IDatabase>();
        var key = ResponseCache.KeyFor("en", [], "Is this cached?");
        (await redis.KeyExistsAsync(key)).Should().BeTrue("the first answer was cached under the question");
        await redis.StringSetAsync(key, "not json");

        var afterDamage = await world.AskAsync("Is this cached?", conversationId: "u2");
        var again = await world.AskAsync("Is this cached?", conversationId: "u3");

        afterDamage.Provider.Should().Be("ollama");
        again.Text.Should().Be(afterDamage.Text);
        (await world.Llm.CountAsync("ollama")).Should().Be(2, "the damaged entry was a miss, and the answer that replaced it served the third question");
    }

    [Fact]
    public async Task Apologies_are_never_cached()
    {
        await using var world = await RouterWorld.StartAsync();
        // Two failures each: the first attempt and its one retry.
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 500, times = 2 });
        await world.Llm.SetFaultAsync("openai", new { kind = "fail", status = 500, times = 2 });

        var apology = await world.AskAsync("Will you remember this?", conversationId: "c1");
        var answer = await world.AskAsync("Will you remember this?", conversationId: "c2");

        apology.Provider.Should().Be("apology");
        answer.Provider.Should().Be("ollama");
    }

    [Fact]
    public async Task A_user_past_the_daily_quota_is_told_politely_when_it_resets()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?>
        {
            ["LlmRouter:Quota:Enabled"] = "true",
            ["LlmRouter:Quota:RequestsPerDay"] = "2",
        });

        await world.AskAsync("one", conversationId: "q1", userId: 500);
        await world.AskAsync("two", conversationId: "q2", userId: 500);
        var third = await world.AskAsync("three", conversationId: "q3", userId: 500);
        var someoneElse = await world.AskAsync("three", conversationId: "q4", userId: 501);

        third.Provider.Should().Be("quota");
        third.Text.Should().StartWith("You've reached today's request limit. It resets at 00:00 UTC");
        someoneElse.Provider.Should().Be("ollama");
        (await world.Llm.CountAsync("ollama")).Should().Be(3);
    }

    [Fact]
    public async Task A_redelivered_request_gets_the_same_reply_without_asking_a_model_again()
    {
        await using var world = await RouterWorld.StartAsync();
        var messageId = NewId.NextGuid();
        var client = world.Bus.Bus.CreateRequestClient<ChatCompletionRequested>(RequestTimeout.After(s: 60));
        var request = new ChatCompletionRequested("conv-r", 42, 42, "Only once please", "en");

        var first = await client.GetResponse<ChatCompletionReplied>(request, x => x.UseExecute(c => c.MessageId = messageId));
        var again = await client.GetResponse<ChatCompletionReplied>(request, x => x.UseExecute(c => c.MessageId = messageId));

        again.Message.Should().Be(first.Message);
        (await world.Llm.CountAsync("ollama")).Should().Be(1);
        var next = await world.AskAsync("Next", conversationId: "conv-r");
        next.Text.Should().Contain("Turns: 4.", "the redelivery did not add its question to the context twice");
    }
}
