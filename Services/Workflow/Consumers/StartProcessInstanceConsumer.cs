using System.Text.Json.Nodes;
using Atlas.Contracts.Workflow;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Operators;
using Atlas.Workflow.Processes;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// <c>/workflow start</c>: a workflow admin (<c>Workflow:Operators:N:Admin</c>) starts a process instance. The
/// request id is the idempotency key and the instance's business id, so a redelivery starts one instance.
/// </summary>
internal sealed class StartProcessInstanceConsumer(IOptions<OperatorOptions> operators, WorkflowEngine engine, ProcessCatalog catalog) : IConsumer<StartProcessInstance>
{
    public async Task Consume(ConsumeContext<StartProcessInstance> context)
    {
        var request = context.Message;
        if (operators.Value.ByTelegramUser(request.UserId) is not { Admin: true })
        {
            await context.RespondAsync(new ProcessStartResult(WorkflowOutcome.NotAllowed)).ConfigureAwait(false);
            return;
        }

        var variables = OperatorOutcomes.Variables(request.Variables);
        variables["startedByTelegramUser"] = request.UserId;
        var operation = new EngineOperation($"telegram-start:{request.RequestId}", OperationKinds.CreateProcessInstance,
            new JsonObject { ["processDefinitionId"] = request.ProcessDefinitionId, ["variables"] = variables }, request.ChatId);
        var outcome = await engine.ExecuteAsync(operation, context.CancellationToken).ConfigureAwait(false);
        var answer = OperatorOutcomes.From(outcome);
        await context.RespondAsync(answer switch
        {
            WorkflowOutcome.Applied or WorkflowOutcome.AlreadyApplied =>
                new ProcessStartResult(answer, outcome.Result?["processInstanceKey"]?.ToString(), outcome.OperationId),
            WorkflowOutcome.NotFound => new ProcessStartResult(answer, OperationId: outcome.OperationId, Detail: string.Join(", ", catalog.KnownIds)),
            _ => new ProcessStartResult(answer, OperationId: outcome.OperationId, Detail: outcome.Error),
        }).ConfigureAwait(false);
    }
}
