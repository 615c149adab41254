using Atlas.Contracts.Moderation;
using Atlas.Gateway.Diagnostics;
using MassTransit;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// Moderation asks the gateway to delete a message, restrict, ban or unban a member. Each delivery is counted as
/// handler <c>moderation</c> (a redelivery of an executed action succeeds without doing anything), and the outcome is
/// published as <see cref="ModerationActionExecuted"/>.
/// </summary>
public sealed class ModerationActionRequestedConsumer(ModerationActionExecutor executor, GatewayMetrics metrics, TimeProvider time)
    : IConsumer<ModerationActionRequested>
{
    public async Task Consume(ConsumeContext<ModerationActionRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var outcome = await executor.ExecuteAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
            metrics.HandlerSucceeded("moderation");
            // Moderation adds Telegram's outcome to its audit trail; a repeat (after a redelivery) is harmless there.
            await context.Publish(
                new ModerationActionExecuted(context.Message.ActionId, context.Message.ChatId, outcome, time.GetUtcNow()),
                context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.HandlerFailed("moderation");
            throw;
        }
    }
}
