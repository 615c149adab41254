using System.Text.Json.Nodes;
using Atlas.Contracts.Workflow;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Operators;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// The bot's Claim / Unclaim / Complete buttons. The operator behind the Telegram user claims under their Camunda
/// user name; the write goes through the engine path (applied once, parked while Camunda is unavailable). Claims and
/// unclaims are keyed by the Telegram update, completions by the task, so a redelivery changes nothing twice.
/// </summary>
internal sealed class ChangeUserTaskConsumer(IOptions<OperatorOptions> operators, WorkflowEngine engine) : IConsumer<ChangeUserTask>
{
    public async Task Consume(ConsumeContext<ChangeUserTask> context)
    {
        var request = context.Message;
        if (operators.Value.ByTelegramUser(request.UserId) is not { } @operator)
        {
            await context.RespondAsync(new UserTaskChanged(request.TaskKey, request.Change, WorkflowOutcome.NotAllowed)).ConfigureAwait(false);
            return;
        }

        var task = request.TaskKey;
        var operation = request.Change switch
        {
            UserTaskChange.Claim => new EngineOperation($"assign:{task}:{@operator.UserName}:{request.RequestId}", OperationKinds.AssignUserTask,
                new JsonObject { ["userTaskKey"] = task, ["assignee"] = @operator.UserName, ["allowOverride"] = false }, request.ChatId),
            UserTaskChange.Unclaim => new EngineOperation($"unassign:{task}:{request.RequestId}", OperationKinds.UnassignUserTask,
                new JsonObject { ["userTaskKey"] = task }, request.ChatId),
            _ => new EngineOperation($"complete:{task}", OperationKinds.CompleteUserTask,
                new JsonObject { ["userTaskKey"] = task, ["variables"] = OperatorOutcomes.Variables(request.Variables) }, request.ChatId),
        };
        var outcome = await engine.ExecuteAsync(operation, context.CancellationToken).ConfigureAwait(false);
        var answer = OperatorOutcomes.From(outcome);
        await context.RespondAsync(new UserTaskChanged(task, request.Change, answer, outcome.OperationId,
            answer is WorkflowOutcome.Applied or WorkflowOutcome.AlreadyApplied ? null : outcome.Error)).ConfigureAwait(false);
    }
}
