using Atlas.Contracts.Moderation;
using Atlas.Contracts.Workflow;
using Atlas.ServiceDefaults.Messaging;
using Atlas.Workflow.Camunda;
using MassTransit;

namespace Atlas.Workflow.Jobs;

/// <summary>
/// <c>atlas.apply-moderation-decision</c>: the moderator's <c>decision</c> on an appeal. <c>lift</c> asks the gateway
/// to lift the restriction of <c>userId</c> in <c>chatId</c>: unrestrict when the appeal was against a mute
/// (<c>actionAppealed</c> = <c>Restrict</c>), unban otherwise (action id derived from the appeal, so it runs once);
/// <c>uphold</c> changes nothing. Any other decision is a business failure: the BPMN error <c>invalid-decision</c>.
/// </summary>
internal sealed class ApplyModerationDecisionJob(IBus publish, TimeProvider time) : IJobHandler
{
    public string JobType => "atlas.apply-moderation-decision";

    public async Task<JobResult> HandleAsync(ActivatedJob job, CancellationToken cancellationToken)
    {
        var decision = JobVariables.Text(job, "decision");
        var chatId = JobVariables.Long(job, "chatId");
        var userId = JobVariables.Long(job, "userId");
        if (chatId is null || userId is null)
        {
            return JobResult.BpmnError("invalid-decision", "The appeal has no chatId or userId.");
        }

        switch (decision)
        {
            case AppealReviewed.Uphold:
                await ReportAsync(job, chatId.Value, userId.Value, AppealReviewed.Uphold, null, cancellationToken).ConfigureAwait(false);
                return JobResult.Complete(new() { ["decisionApplied"] = "uphold" });
            case AppealReviewed.Lift:
                var appeal = JobVariables.Text(job, "appealId") ?? job.ProcessInstanceKey;
                var actionId = NameBasedIds.From("atlas-workflow:appeal-lift:" + appeal);
                var lift = AppealedAction.LiftOf(JobVariables.Text(job, "actionAppealed"));
                await publish.Publish(
                    new ModerationActionRequested(actionId, lift, chatId.Value, userId.Value, null, null, "Appeal accepted"),
                    cancellationToken).ConfigureAwait(false);
                await ReportAsync(job, chatId.Value, userId.Value, AppealReviewed.Lift, actionId, cancellationToken).ConfigureAwait(false);
                return JobResult.Complete(new() { ["decisionApplied"] = "lift", ["moderationActionId"] = actionId.ToString() });
            default:
                return JobResult.BpmnError("invalid-decision", $"The decision must be 'uphold' or 'lift', not '{decision}'.");
        }
    }

    // An appeal Moderation handed over (its id a Guid) is closed there too; one started by hand has nobody to tell.
    private Task ReportAsync(ActivatedJob job, long chatId, long userId, string decision, Guid? liftActionId, CancellationToken cancellationToken) =>
        Guid.TryParse(JobVariables.Text(job, "appealId"), out var appealId)
            ? publish.Publish(new AppealReviewed(appealId, chatId, userId, decision, liftActionId, time.GetUtcNow()), cancellationToken)
            : Task.CompletedTask;
}
