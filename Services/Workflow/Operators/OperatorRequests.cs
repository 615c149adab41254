using System.Text.Json.Nodes;
using Atlas.Contracts.Workflow;
using Atlas.Workflow.Engine;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Operators;

/// <summary>
/// The bot's operator requests, in one shape: the Telegram user must be a workflow operator (else the request's
/// "not allowed" reply), the write goes through the engine (applied once under its idempotency key, parked while
/// Camunda is unavailable), and the engine's outcome becomes the reply. The consumers only pass requests and replies.
/// </summary>
internal sealed class OperatorRequests(IOptions<OperatorOptions> operators, WorkflowEngine engine)
{
    /// <summary>Claim / Unclaim / Complete. Claims and unclaims are keyed by the Telegram update, completions by the task.</summary>
    public Task<UserTaskChanged> ChangeUserTaskAsync(ChangeUserTask request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AsOperatorAsync(request.UserId, new UserTaskChanged(request.TaskKey, request.Change, WorkflowOutcome.NotAllowed), async @operator =>
        {
            var outcome = await engine.ExecuteAsync(UserTaskOperation(request, @operator), cancellationToken).ConfigureAwait(false);
            var answer = OperatorOutcomes.From(outcome);
            return new UserTaskChanged(request.TaskKey, request.Change, answer, outcome.OperationId,
                answer is WorkflowOutcome.Applied or WorkflowOutcome.AlreadyApplied ? null : outcome.Error);
        });
    }

    /// <summary>Resumes one parked operation.</summary>
    public Task<ParkedOperationResumed> ResumeAsync(ResumeParkedOperation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var notAllowed = new ParkedOperationResumed(request.OperationId, false, "Only workflow operators may resume parked work.", WorkflowOutcome.NotAllowed);
        return AsOperatorAsync(request.UserId, notAllowed, async _ =>
            Resumed(request.OperationId, await engine.ResumeAsync(request.OperationId, request.UserId, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Resumes every parked operation.</summary>
    public Task<ParkedOperationsResumed> ResumeAllAsync(ResumeAllParkedOperations request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AsOperatorAsync(request.UserId, new ParkedOperationsResumed(false, 0, 0, 0), async _ =>
        {
            var counts = await engine.ResumeAllAsync(request.UserId, cancellationToken).ConfigureAwait(false);
            return new ParkedOperationsResumed(true, counts.Applied, counts.StillParked, counts.Refused);
        });
    }

    private async Task<TReply> AsOperatorAsync<TReply>(long telegramUserId, TReply notAllowed, Func<WorkflowOperator, Task<TReply>> apply) =>
        operators.Value.ByTelegramUser(telegramUserId) is { } @operator ? await apply(@operator).ConfigureAwait(false) : notAllowed;

    private static EngineOperation UserTaskOperation(ChangeUserTask request, WorkflowOperator @operator)
    {
        var task = request.TaskKey;
        return request.Change switch
        {
            UserTaskChange.Claim => new EngineOperation($"assign:{task}:{@operator.UserName}:{request.RequestId}", OperationKinds.AssignUserTask,
                new JsonObject { ["userTaskKey"] = task, ["assignee"] = @operator.UserName, ["allowOverride"] = false }, request.ChatId),
            UserTaskChange.Unclaim => new EngineOperation($"unassign:{task}:{request.RequestId}", OperationKinds.UnassignUserTask,
                new JsonObject { ["userTaskKey"] = task }, request.ChatId),
            _ => new EngineOperation($"complete:{task}", OperationKinds.CompleteUserTask,
                new JsonObject { ["userTaskKey"] = task, ["variables"] = OperatorOutcomes.Variables(request.Variables) }, request.ChatId),
        };
    }

    private static ParkedOperationResumed Resumed(string operationId, OperationOutcome? outcome) => outcome?.Status switch
    {
        null => new ParkedOperationResumed(operationId, false, "No parked operation has this id.", WorkflowOutcome.NotFound),
        OperationStatus.Applied => new ParkedOperationResumed(operationId, true, "Applied.", WorkflowOutcome.Applied),
        OperationStatus.AlreadyApplied => new ParkedOperationResumed(operationId, true, "It was already applied; nothing was sent again.", WorkflowOutcome.AlreadyApplied),
        OperationStatus.Parked => new ParkedOperationResumed(operationId, false, outcome.Error ?? "Camunda is still unavailable.", WorkflowOutcome.Parked),
        _ => new ParkedOperationResumed(operationId, false, outcome.Error ?? outcome.Status.ToString(), WorkflowOutcome.Refused),
    };
}
