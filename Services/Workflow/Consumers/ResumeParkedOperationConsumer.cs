using Atlas.Contracts.Workflow;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Operators;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// <c>/resume</c>: an operator resumes parked work. The operation's idempotency key guards it, so a redelivered
/// request answers "already applied" instead of applying twice.
/// </summary>
internal sealed class ResumeParkedOperationConsumer(IOptions<OperatorOptions> operators, WorkflowEngine engine) : IConsumer<ResumeParkedOperation>
{
    public async Task Consume(ConsumeContext<ResumeParkedOperation> context)
    {
        var request = context.Message;
        if (operators.Value.ByTelegramUser(request.UserId) is null)
        {
            await context.RespondAsync(new ParkedOperationResumed(request.OperationId, false, "Only workflow operators may resume parked work.", WorkflowOutcome.NotAllowed)).ConfigureAwait(false);
            return;
        }

        var outcome = await engine.ResumeAsync(request.OperationId, request.UserId, context.CancellationToken).ConfigureAwait(false);
        var answer = outcome?.Status switch
        {
            null => new ParkedOperationResumed(request.OperationId, false, "No parked operation has this id.", WorkflowOutcome.NotFound),
            OperationStatus.Applied => new ParkedOperationResumed(request.OperationId, true, "Applied.", WorkflowOutcome.Applied),
            OperationStatus.AlreadyApplied => new ParkedOperationResumed(request.OperationId, true, "It was already applied; nothing was sent again.", WorkflowOutcome.AlreadyApplied),
            OperationStatus.Parked => new ParkedOperationResumed(request.OperationId, false, outcome.Error ?? "Camunda is still unavailable.", WorkflowOutcome.Parked),
            _ => new ParkedOperationResumed(request.OperationId, false, outcome.Error ?? outcome.Status.ToString(), WorkflowOutcome.Refused),
        };
        await context.RespondAsync(answer).ConfigureAwait(false);
    }
}
