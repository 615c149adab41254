using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Routing;
using MassTransit;

namespace Atlas.LlmRouter.Consumers;

/// <summary>
/// Answers the gateway's <see cref="ChatCompletionRequested"/>. Idempotent: the reply to a MessageId is kept, so a
/// redelivery gets the same answer without asking a model or extending the conversation twice.
/// </summary>
public sealed class ChatCompletionRequestedConsumer(ChatRouter router, ReplyLedger ledger) : IConsumer<ChatCompletionRequested>
{
    public async Task Consume(ConsumeContext<ChatCompletionRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var messageId = context.MessageId?.ToString() ?? $"{request.ConversationId}:{request.Text.GetHashCode(StringComparison.Ordinal)}";
        var reply = await ledger.FindAsync(messageId, context.CancellationToken).ConfigureAwait(false);
        if (reply is null)
        {
            var answer = await router.AnswerAsync(
                new ChatQuestion(request.ConversationId, request.UserId, request.Text, request.LanguageCode), context.CancellationToken).ConfigureAwait(false);
            reply = new ChatCompletionReplied(request.ConversationId, answer.Text, answer.Provider);
            await ledger.RecordAsync(messageId, reply, context.CancellationToken).ConfigureAwait(false);
        }

        await context.RespondAsync(reply).ConfigureAwait(false);
    }
}

/// <summary>Chat requests wait on models: a bounded number at once per instance.</summary>
public sealed class ChatCompletionRequestedConsumerDefinition : ConsumerDefinition<ChatCompletionRequestedConsumer>
{
    public ChatCompletionRequestedConsumerDefinition() => ConcurrentMessageLimit = 64;
}
