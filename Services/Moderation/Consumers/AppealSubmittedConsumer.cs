using Atlas.Contracts.Moderation;
using Atlas.Moderation.Appeals;
using Atlas.Moderation.Decisions;
using MassTransit;

namespace Atlas.Moderation.Consumers;

/// <summary>An appeal from a private chat, recorded once per Telegram update.</summary>
public sealed class AppealSubmittedConsumer(ModerationSessions sessions, AppealIntake intake) : IConsumer<AppealSubmitted>
{
    public Task Consume(ConsumeContext<AppealSubmitted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return sessions.RunAsync(
            $"appeal:{context.Message.UserId}:{context.Message.UpdateId}", context,
            session => intake.RecordAsync(session, context.Message, context.CancellationToken), context.CancellationToken);
    }
}
