using Atlas.Contracts.Moderation;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Outbound;
using MassTransit;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// Moderation asks the gateway to delete a message, restrict, ban, kick or unban a member: the action joins its chat's
/// action lane in the outbox (durable in Redis, ahead of the chat's queued messages) and the delivery is acknowledged;
/// the outbound sender carries it out under the chat's flood state and reports the outcome as
/// <see cref="ModerationActionExecuted"/> (see <see cref="ModerationActionExecutor"/>). A redelivery is not queued
/// twice. Each delivery is counted as handler <c>moderation</c>.
/// </summary>
public sealed class ModerationActionRequestedConsumer(IOutbox outbox, GatewayMetrics metrics) : IConsumer<ModerationActionRequested>
{
    public async Task Consume(ConsumeContext<ModerationActionRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await outbox.EnqueueActionAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
            metrics.HandlerSucceeded("moderation");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.HandlerFailed("moderation");
            throw;
        }
    }
}
