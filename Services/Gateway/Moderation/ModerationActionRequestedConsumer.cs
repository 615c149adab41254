using Atlas.Contracts.Moderation;
using MassTransit;

namespace Atlas.Gateway.Moderation;

/// <summary>Moderation asks the gateway to delete a message, restrict, ban or unban a member.</summary>
public sealed class ModerationActionRequestedConsumer(ModerationActionExecutor executor) : IConsumer<ModerationActionRequested>
{
    public Task Consume(ConsumeContext<ModerationActionRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return executor.ExecuteAsync(context.Message, context.CancellationToken);
    }
}
