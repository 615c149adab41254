using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using MassTransit;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// Sends a message another service asked for (e.g. Workflow) through the outbox; the command's idempotency key makes a
/// redelivery a no-op. A command that can never be sent (no key, no chat, empty text) is kept as a dead letter with
/// the reason instead of being retried.
/// </summary>
internal sealed class SendTelegramMessageConsumer(
    IOutbox outbox, OutboundStore store, GatewayMetrics metrics, TimeProvider time, ILogger<SendTelegramMessageConsumer> logger)
    : IConsumer<SendTelegramMessage>
{
    public async Task Consume(ConsumeContext<SendTelegramMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        var message = new OutboundMessage(command.IdempotencyKey, command.ChatId, command.Text, command.ParseMode, command.ReplyToMessageId);
        if (RedisOutbox.Problem(message) is { } problem)
        {
            GatewayLog.OutboundCommandRejected(logger, command.ChatId, command.Text?.Length ?? 0, problem);
            var queued = new QueuedMessage(
                context.MessageId?.ToString("N") ?? Guid.NewGuid().ToString("N"), command.IdempotencyKey ?? "", 1, 1, command.ChatId,
                command.Text ?? "", command.ParseMode, command.ReplyToMessageId, null, time.GetUtcNow());
            await store.AddDeadLetterAsync(new DeadLetter(queued, null, problem, null, time.GetUtcNow()), context.CancellationToken).ConfigureAwait(false);
            metrics.Outbound("failed");
            return;
        }

        await outbox.EnqueueAsync(message, context.CancellationToken).ConfigureAwait(false);
    }
}
