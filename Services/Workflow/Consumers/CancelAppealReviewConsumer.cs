using System.Text.Json.Nodes;
using Atlas.Contracts.Workflow;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Processes;
using MassTransit;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// Withdraws the appeal review of an appeal a chat admin settled first: its process instance is cancelled (and with it
/// the moderators' task), or, when <see cref="StartAppealReviewConsumer"/> has not started it yet (Camunda away, or the
/// start still on its way), it never starts. A redelivery changes nothing.
/// </summary>
internal sealed class CancelAppealReviewConsumer(WorkflowEngine engine) : IConsumer<CancelAppealReview>
{
    public async Task Consume(ConsumeContext<CancelAppealReview> context)
    {
        var appeal = context.Message;
        var start = new EngineOperation(
            StartAppealReviewConsumer.OperationId(appeal.AppealId), OperationKinds.CreateProcessInstance,
            new JsonObject { ["processDefinitionId"] = ProcessCatalog.AppealReview }, appeal.ChatId);
        await engine.WithdrawStartAsync(start, $"the appeal was {appeal.Outcome} by a chat admin", context.CancellationToken).ConfigureAwait(false);
    }
}
