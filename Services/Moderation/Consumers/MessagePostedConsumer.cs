using Atlas.Contracts.Moderation;
using Atlas.Moderation.Decisions;
using MassTransit;

namespace Atlas.Moderation.Consumers;

/// <summary>A group message (or edit) from the gateway, decided once per Telegram update.</summary>
public sealed class MessagePostedConsumer(MessageJudge judge) : IConsumer<MessagePosted>
{
    public Task Consume(ConsumeContext<MessagePosted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return judge.JudgeAsync(context.Message, context, context.CancellationToken);
    }
}
