using System.Text.Json.Nodes;
using Atlas.Contracts.Workflow;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Processes;
using MassTransit;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// Starts the appeal-review process for an appeal from Moderation. The appeal id is the operation's idempotency key
/// and the instance's business id: a redelivered message starts nothing twice, and one that meets a Camunda outage
/// is parked and started when Camunda is back.
/// </summary>
internal sealed class StartAppealReviewConsumer(WorkflowEngine engine) : IConsumer<StartAppealReview>
{
    /// <summary>The idempotency key of the review's start (and the instance's business id).</summary>
    public static string OperationId(Guid appealId) => $"appeal:{appealId}";

    public async Task Consume(ConsumeContext<StartAppealReview> context)
    {
        var appeal = context.Message;
        var variables = new JsonObject
        {
            ["appealId"] = appeal.AppealId.ToString(),
            ["chatId"] = appeal.ChatId,
            ["userId"] = appeal.UserId,
            ["username"] = appeal.Username,
            ["reason"] = appeal.Reason,
            ["actionAppealed"] = appeal.ActionAppealed,
            ["submittedAt"] = appeal.SubmittedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        await engine.ExecuteAsync(new EngineOperation(OperationId(appeal.AppealId), OperationKinds.CreateProcessInstance,
            new JsonObject { ["processDefinitionId"] = ProcessCatalog.AppealReview, ["variables"] = variables }, appeal.ChatId), context.CancellationToken).ConfigureAwait(false);
    }
}
