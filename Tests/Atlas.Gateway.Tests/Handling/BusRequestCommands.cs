using System.Collections.Concurrent;
using Atlas.Contracts.Llm;
using Atlas.Contracts.Workflow;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using MassTransit;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// /search, /tasks and free text go over the real broker to the peer services (played by the test) and their answers
/// come back to the user; without an answer in time the user is told politely that it is temporarily unavailable.
/// </summary>
public sealed class BusRequestCommands : IAsyncLifetime
{
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync("handling-bus");

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Search_is_answered_with_the_knowledge_base_hits()
    {
        var asked = new ConcurrentQueue<KnowledgeSearchRequested>();
        await using var peer = await PeerBus.AnswerAsync(
            _gateway.Resources.RabbitMq, "llm",
            (KnowledgeSearchRequested request) => new KnowledgeSearchResults(
                request.Query, [new KnowledgeSearchHit("doc-1", "Vacation policy", "25 days a year", 0.9)]),
            asked);

        await _gateway.SayAsync(4201, "/search vacation days", "en");

        var reply = await _gateway.WaitForReplyAsync(4201, _ => true);
        reply.Should().StartWith(BotTexts.Format(TextKeys.SearchHeader, English, "vacation days")).And.Contain("Vacation policy — 25 days a year");
        asked.Should().ContainSingle().Which.Should().Be(new KnowledgeSearchRequested(4201, 4201, "vacation days", 5));
    }

    [Fact]
    public async Task Search_hits_show_the_matched_words_in_bold_and_the_rest_as_written()
    {
        await using var peer = await PeerBus.AnswerAsync(
            _gateway.Resources.RabbitMq, "llm",
            (KnowledgeSearchRequested request) => new KnowledgeSearchResults(
                request.Query, [new KnowledgeSearchHit("doc-2", "Pay <b>& perks", "Staff get **25 days** a year (<i>not</i> 30) … plus **days** off & a ** star", 0.9)]));

        await _gateway.SayAsync(4206, "/search days <off>", "en");

        var shown = await Eventually.PollAsync(
            () => _gateway.Telegram.GetChatMessagesAsync(_gateway.Token, 4206), m => m.Any(x => x.FromBot), TimeSpan.FromSeconds(30));
        var message = shown.Single(m => m.FromBot).Message;
        var text = message["text"]!.GetValue<string>();
        text.Should().Be("Results for \"days <off>\":\n1. Pay <b>& perks — Staff get 25 days a year (<i>not</i> 30) … plus days off & a ** star",
            "Telegram shows the user's words and the documents' text as they are, with no asterisks around matches");
        var bold = message["entities"]!.AsArray().Select(e => text.Substring(e!["offset"]!.GetValue<int>(), e["length"]!.GetValue<int>())).ToArray();
        bold.Should().Equal("25 days", "days");
        message["entities"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).Should().AllBe("bold");
    }

    [Fact]
    public async Task Search_without_hits_says_nothing_was_found_in_Russian()
    {
        await using var peer = await PeerBus.AnswerAsync(
            _gateway.Resources.RabbitMq, "llm", (KnowledgeSearchRequested request) => new KnowledgeSearchResults(request.Query, []));

        await _gateway.SayAsync(4202, "/search отпуск", "ru");

        (await _gateway.WaitForReplyAsync(4202, _ => true)).Should().Be(BotTexts.Format(TextKeys.SearchNoHits, Russian, "отпуск"));
    }

    [Fact]
    public async Task An_empty_search_gets_the_usage_hint_in_English_and_Russian()
    {
        await _gateway.SayAsync(4203, "/search", "en");
        await _gateway.SayAsync(4204, "/search   ", "ru");

        (await _gateway.WaitForReplyAsync(4203, _ => true)).Should().Be(BotTexts.Get(TextKeys.SearchUsage, English));
        (await _gateway.WaitForReplyAsync(4204, _ => true)).Should().Be(BotTexts.Get(TextKeys.SearchUsage, Russian));
    }

    [Fact]
    public async Task A_search_nobody_answers_gets_a_polite_temporarily_unavailable()
    {
        await _gateway.SayAsync(4205, "/search anything", "ru");

        (await _gateway.WaitForReplyAsync(4205, _ => true)).Should().Be(BotTexts.Get(TextKeys.ServiceUnavailable, Russian));
        _gateway.Metrics.Succeeded("search").Should().Be(1);
    }

    [Fact]
    public async Task Tasks_are_listed_from_the_workflow_answer()
    {
        var asked = new ConcurrentQueue<UserTasksRequested>();
        await using var peer = await PeerBus.AnswerAsync(
            _gateway.Resources.RabbitMq, "workflow",
            (UserTasksRequested _) => new UserTaskList(
                [new UserTaskSummary("2251799813685249", "Approve invoice", "Invoice approval", "ann", DateTimeOffset.UtcNow)]),
            asked);

        await _gateway.Telegram.SendMessageAsync(_gateway.Token, new Atlas.Testing.Sandbox.SandboxUserMessage
        {
            UserId = 4206, Text = "/tasks", LanguageCode = "en", Username = "ann",
        });

        var reply = await _gateway.WaitForReplyAsync(4206, _ => true);
        reply.Should().StartWith(BotTexts.Get(TextKeys.TasksHeader, English)).And.Contain("Approve invoice (Invoice approval, 2251799813685249)");
        asked.Should().ContainSingle().Which.Should().Be(new UserTasksRequested(4206, 4206, "ann"));
    }

    [Fact]
    public async Task Tasks_nobody_answers_get_a_polite_temporarily_unavailable_in_English()
    {
        await _gateway.SayAsync(4207, "/tasks", "en");

        (await _gateway.WaitForReplyAsync(4207, _ => true)).Should().Be(BotTexts.Get(TextKeys.ServiceUnavailable, English));
    }

    [Fact]
    public async Task Free_text_goes_to_the_llm_and_its_answer_is_sent_back_while_typing_is_shown()
    {
        var asked = new ConcurrentQueue<ChatCompletionRequested>();
        await using var peer = await PeerBus.AnswerAsync(
            _gateway.Resources.RabbitMq, "llm",
            (ChatCompletionRequested request) => new ChatCompletionReplied(request.ConversationId, "Paris is the capital of France.", "rules"),
            asked);

        await _gateway.SayAsync(4208, "What is the capital of France?", "en");

        (await _gateway.WaitForReplyAsync(4208, _ => true)).Should().Be("Paris is the capital of France.");
        var request = asked.Should().ContainSingle().Subject;
        request.Text.Should().Be("What is the capital of France?");
        request.ChatId.Should().Be(4208);
        request.LanguageCode.Should().Be("en");
        var typing = await _gateway.Telegram.GetActionsAsync(_gateway.Token, method: "sendChatAction");
        typing.Should().Contain(a => a.Parameters["chat_id"]!.GetValue<long>() == 4208 && a.Parameters["action"]!.GetValue<string>() == "typing");
        _gateway.Metrics.Succeeded("chat").Should().Be(1);
    }

    [Fact]
    public async Task A_models_markdown_answer_is_shown_with_telegrams_formatting_and_its_text_as_written()
    {
        const string Markdown = "## Steps\n- run `make <all>` **first**\n- then see [the guide](https://example.org/guide) & relax";
        await using var peer = await PeerBus.AnswerAsync(
            _gateway.Resources.RabbitMq, "llm",
            (ChatCompletionRequested request) => new ChatCompletionReplied(request.ConversationId, Markdown, "ollama"));

        await _gateway.SayAsync(4216, "How do I build?", "en");

        var shown = await Eventually.PollAsync(
            () => _gateway.Telegram.GetChatMessagesAsync(_gateway.Token, 4216), m => m.Any(x => x.FromBot), TimeSpan.FromSeconds(30));
        var message = shown.Single(m => m.FromBot).Message;
        var text = message["text"]!.GetValue<string>();
        text.Should().Be("Steps\n• run make <all> first\n• then see the guide & relax");
        var entities = message["entities"]!.AsArray().Select(e =>
            $"{e!["type"]!.GetValue<string>()} {text.Substring(e["offset"]!.GetValue<int>(), e["length"]!.GetValue<int>())} {e["url"]?.GetValue<string>()}".TrimEnd());
        entities.Should().BeEquivalentTo("bold Steps", "code make <all>", "bold first", "text_link the guide https://example.org/guide");
    }

    [Fact]
    public async Task A_conversation_keeps_its_id_until_reset()
    {
        var asked = new ConcurrentQueue<ChatCompletionRequested>();
        await using var peer = await PeerBus.AnswerAsync(
            _gateway.Resources.RabbitMq, "llm",
            (ChatCompletionRequested request) => new ChatCompletionReplied(request.ConversationId, $"answer {request.Text}", "rules"),
            asked);

        await _gateway.SayAsync(4209, "first", "ru");
        await _gateway.SayAsync(4209, "second", "ru");
        await _gateway.SayAsync(4209, "/reset", "ru");
        await _gateway.SayAsync(4209, "third", "ru");

        // /reset is answered in the chat's turn, the LLM answers outside it: it may overtake "answer 2", never "answer 3".
        var replies = (await _gateway.WaitForRepliesAsync(4209, 4)).ToList();
        replies.Where(r => r.StartsWith("answer", StringComparison.Ordinal)).Should().Equal("answer first", "answer second", "answer third");
        replies.IndexOf(BotTexts.Get(TextKeys.ResetDone, Russian)).Should().BeLessThan(replies.IndexOf("answer third"));
        // The questions travel outside the chat's turn, so the peer may get them in any order: match them by text.
        var conversations = asked.ToDictionary(r => r.Text, r => r.ConversationId);
        conversations["second"].Should().Be(conversations["first"]);
        conversations["third"].Should().NotBe(conversations["first"]);
    }

    [Fact]
    public async Task Free_text_nobody_answers_gets_a_polite_temporarily_unavailable()
    {
        await _gateway.SayAsync(4210, "hello?", "ru");

        (await _gateway.WaitForReplyAsync(4210, _ => true)).Should().Be(BotTexts.Get(TextKeys.ServiceUnavailable, Russian));
    }
}
