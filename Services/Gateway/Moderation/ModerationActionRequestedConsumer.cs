using Atlas.Contracts.Moderation;
using Atlas.Gateway.Diagnostics;
using MassTransit;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// Moderation asks the gateway to delete a message, restrict, ban or unban a member. Each delivery is counted as
/// handler <c>moderation</c> (a redelivery of an executed action succeeds without doing anything).
/// </summary>
public sealed class ModerationActionRequestedConsumer(ModerationActionExecutor executor, GatewayMetrics metrics) : IConsumer<ModerationActionRequested>
{
    public async Task Consume(ConsumeContext<ModerationActionRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await executor.ExecuteAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
            metrics.HandlerSucceeded("moderation");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.HandlerFailed("moderation");
            throw;
        }
    }
}
