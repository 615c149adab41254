using Atlas.Contracts.Workflow;
using Atlas.Moderation.Appeals;
using Atlas.Moderation.Decisions;
using MassTransit;

namespace Atlas.Moderation.Consumers;

/// <summary>Workflow's review of an appeal decided: the appeal is closed here too, once per review.</summary>
public sealed class AppealReviewedConsumer(ModerationSessions sessions, AppealIntake intake) : IConsumer<AppealReviewed>
{
    public Task Consume(ConsumeContext<AppealReviewed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return sessions.RunAsync(
            $"appeal-reviewed:{context.Message.AppealId}", context,
            session => intake.CloseReviewedAsync(session, context.Message, context.CancellationToken), context.CancellationToken);
    }
}
