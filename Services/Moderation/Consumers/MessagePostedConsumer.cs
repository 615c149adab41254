using Atlas.Contracts.Moderation;
using Atlas.Moderation.Decisions;
using MassTransit;

namespace Atlas.Moderation.Consumers;

/// <summary>A group message (or edit) from the gateway, decided once per Telegram update.</summary>
public sealed class MessagePostedConsumer(ModerationSessions sessions, MessageJudge judge) : IConsumer<MessagePosted>
{
    public Task Consume(ConsumeContext<MessagePosted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        return sessions.RunAsync(
            $"message:{message.ChatId}:{message.UpdateId}", context,
            session => judge.JudgeAsync(session, message, context.CancellationToken), context.CancellationToken);
    }
}
