using Atlas.Contracts.Llm;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using MassTransit;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// A slow answer never blocks the chat: the LLM question leaves the chat's turn, a command typed meanwhile is answered
/// at once, "typing…" shows while the answer is pending, past the deadline the user is told, and a late answer is
/// still delivered, marked as late, after the chat's later answers that were ready first.
/// </summary>
public sealed class SlowAnswers : IAsyncLifetime
{
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync("handling-slow", new Dictionary<string, string?>
    {
        ["Gateway:Requests:ChatTimeout"] = "00:00:40",
        ["Gateway:Requests:AnswerDeadline"] = "00:00:02",
        ["Gateway:Requests:TypingInterval"] = "00:00:01",
    });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_search_typed_while_the_model_thinks_is_answered_at_once()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = await GatedPeerAsync(gate);

        await _gateway.SayAsync(4401, "slow question", "en");
        await _gateway.SayAsync(4401, "/search vacation", "en");

        var first = await _gateway.WaitForReplyAsync(4401, _ => true);
        first.Should().Be(BotTexts.Format(TextKeys.SearchNoHits, English, "vacation"), "the search did not wait for the model");
        var typing = await Eventually.PollAsync(
            async () => (await _gateway.Telegram.GetActionsAsync(_gateway.Token, method: "sendChatAction"))
                .Count(a => a.Parameters["chat_id"]!.GetValue<long>() == 4401),
            count => count >= 2, TimeSpan.FromSeconds(20));
        typing.Should().BeGreaterThanOrEqualTo(2, "typing is renewed while the answer is pending");

        gate.SetResult();
        var replies = await _gateway.WaitForRepliesAsync(4401, 2, TimeSpan.FromSeconds(40));
        replies[^1].Should().BeOneOf("answer to slow question", BotTexts.Format(TextKeys.LateAnswer, English, "answer to slow question"));
    }

    [Fact]
    public async Task Past_the_deadline_the_user_is_told_and_the_late_answer_follows_after_the_answers_ready_before_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = await GatedPeerAsync(gate);

        await _gateway.SayAsync(4402, "slow question", "ru");
        await _gateway.SayAsync(4402, "quick question", "ru");

        // The quick answer waits for the slow one's turn: the slow one is told it is late, then the quick one goes.
        var early = await _gateway.WaitForRepliesAsync(4402, 2, TimeSpan.FromSeconds(30));
        early.Should().Equal(BotTexts.Get(TextKeys.ServiceUnavailable, Russian), "answer to quick question");

        gate.SetResult();
        var all = await _gateway.WaitForRepliesAsync(4402, 3, TimeSpan.FromSeconds(40));
        all[2].Should().Be(BotTexts.Format(TextKeys.LateAnswer, Russian, "answer to slow question"));
    }

    // Plays LlmRouter: "slow ..." questions are answered only once the gate opens; searches find nothing at once.
    private Task<PeerBus> GatedPeerAsync(TaskCompletionSource gate) =>
        PeerBus.StartAsync(_gateway.Resources.RabbitMq, bus => bus.ReceiveEndpoint(PeerBus.QueueName("llm"), e =>
        {
            e.Handler<ChatCompletionRequested>(async context =>
            {
                if (context.Message.Text.StartsWith("slow", StringComparison.Ordinal))
                {
                    await gate.Task;
                }

                await context.RespondAsync(new ChatCompletionReplied(context.Message.ConversationId, $"answer to {context.Message.Text}", "ollama"));
            });
            e.Handler<KnowledgeSearchRequested>(context => context.RespondAsync(new KnowledgeSearchResults(context.Message.Query, [])));
        }));
}
