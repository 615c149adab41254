using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Workflow.Camunda;
using Atlas.Workflow.Processes;

namespace Atlas.Workflow.Engine;

/// <summary>
/// Sends one <see cref="EngineOperation"/> to the engine. A replay that finds its effect already there (the task
/// already completed, the business id already running, the job already gone) counts as applied, which makes an
/// operation whose first attempt reached the engine but not our database safe to retry.
/// </summary>
internal sealed class OperationApplier(ICamundaApi camunda)
{
    public async Task<JsonObject> ApplyAsync(EngineOperation operation, bool isRetry, CancellationToken cancellationToken)
    {
        var p = operation.Payload;
        try
        {
            switch (operation.Kind)
            {
                case OperationKinds.CreateProcessInstance:
                    var created = await camunda.CreateProcessInstanceAsync(
                        new CreateProcessInstanceRequest(Text(p, "processDefinitionId"), p["variables"]?.AsObject().DeepClone().AsObject(), operation.Id), cancellationToken).ConfigureAwait(false);
                    return new JsonObject { ["processInstanceKey"] = created.ProcessInstanceKey, ["processDefinitionId"] = created.ProcessDefinitionId };
                case OperationKinds.CancelProcessInstance:
                    await camunda.CancelProcessInstanceAsync(Text(p, "processInstanceKey"), new CancelProcessInstanceRequest(), cancellationToken).ConfigureAwait(false);
                    return [];
                case OperationKinds.AssignUserTask:
                    await camunda.AssignUserTaskAsync(Text(p, "userTaskKey"), new UserTaskAssignmentRequest(Text(p, "assignee"), p["allowOverride"]?.GetValue<bool>()), cancellationToken).ConfigureAwait(false);
                    return [];
                case OperationKinds.UnassignUserTask:
                    await camunda.UnassignUserTaskAsync(Text(p, "userTaskKey"), cancellationToken).ConfigureAwait(false);
                    return [];
                case OperationKinds.CompleteUserTask:
                    await CheckFormAsync(Text(p, "userTaskKey"), Variables(p), cancellationToken).ConfigureAwait(false);
                    await camunda.CompleteUserTaskAsync(Text(p, "userTaskKey"), new UserTaskCompletionRequest(Variables(p)), cancellationToken).ConfigureAwait(false);
                    return [];
                case OperationKinds.PublishMessage:
                    var published = await camunda.PublishMessageAsync(
                        new MessagePublicationRequest(Text(p, "name"), p["correlationKey"]?.ToString(), p["timeToLive"]?.GetValue<long>(), operation.Id, Variables(p)), cancellationToken).ConfigureAwait(false);
                    return new JsonObject { ["messageKey"] = published.MessageKey };
                case OperationKinds.CorrelateMessage:
                    var correlated = await camunda.CorrelateMessageAsync(
                        new MessageCorrelationRequest(Text(p, "name"), p["correlationKey"]?.ToString(), Variables(p)), cancellationToken).ConfigureAwait(false);
                    return new JsonObject { ["messageKey"] = correlated.MessageKey, ["processInstanceKey"] = correlated.ProcessInstanceKey };
                case OperationKinds.CompleteJob:
                    await camunda.CompleteJobAsync(Text(p, "jobKey"), new JobCompletionRequest(Variables(p)), cancellationToken).ConfigureAwait(false);
                    return [];
                case OperationKinds.FailJob:
                    await camunda.FailJobAsync(Text(p, "jobKey"), new JobFailRequest(
                        p["retries"]!.GetValue<int>(), p["errorMessage"]?.GetValue<string>(), p["retryBackOff"]?.GetValue<long>(), Variables(p)), cancellationToken).ConfigureAwait(false);
                    return [];
                case OperationKinds.ThrowJobError:
                    await camunda.ThrowJobErrorAsync(Text(p, "jobKey"), new JobErrorRequest(Text(p, "errorCode"), p["errorMessage"]?.GetValue<string>(), Variables(p)), cancellationToken).ConfigureAwait(false);
                    return [];
                default:
                    throw new CamundaProblemException(400, "UNKNOWN_OPERATION", $"Atlas does not know the operation kind '{operation.Kind}'.");
            }
        }
        catch (CamundaProblemException problem) when (isRetry && AlreadyThere(operation.Kind, problem.Status))
        {
            return await AlreadyAppliedResultAsync(operation, cancellationToken).ConfigureAwait(false);
        }
    }

    // The task's own engine decides whether it can be completed; the form only refuses variables the process cannot
    // use. A task the engine does not show (not found, or not indexed yet) is left to the completion itself.
    private async Task CheckFormAsync(string userTaskKey, JsonObject? variables, CancellationToken cancellationToken)
    {
        UserTaskResult task;
        try
        {
            task = await camunda.GetUserTaskAsync(userTaskKey, cancellationToken).ConfigureAwait(false);
        }
        catch (CamundaProblemException)
        {
            return;
        }

        if (CompletionForms.Check(task, variables) is { } problem)
        {
            throw new CamundaProblemException(400, CompletionForms.InvalidVariables, problem);
        }
    }

    /// <summary>On a retry, these answers mean a previous attempt already reached the engine.</summary>
    private static bool AlreadyThere(string kind, int status) => (kind, status) switch
    {
        (OperationKinds.CreateProcessInstance, 409) => true,
        (OperationKinds.CompleteUserTask or OperationKinds.CompleteJob or OperationKinds.FailJob or OperationKinds.ThrowJobError or OperationKinds.CancelProcessInstance, 404) => true,
        _ => false,
    };

    private async Task<JsonObject> AlreadyAppliedResultAsync(EngineOperation operation, CancellationToken cancellationToken)
    {
        if (operation.Kind != OperationKinds.CreateProcessInstance)
        {
            return new JsonObject { ["alreadyApplied"] = true };
        }

        var found = await camunda.SearchProcessInstancesAsync(
            new SearchRequest<ProcessInstanceFilter>(new ProcessInstanceFilter(BusinessId: operation.Id, ProcessDefinitionId: Text(operation.Payload, "processDefinitionId"))),
            cancellationToken).ConfigureAwait(false);
        return new JsonObject
        {
            ["processInstanceKey"] = found.Items.Count > 0 ? found.Items[0].ProcessInstanceKey : null,
            ["processDefinitionId"] = Text(operation.Payload, "processDefinitionId"),
            ["alreadyApplied"] = true,
        };
    }

    private static string Text(JsonObject payload, string name) =>
        payload[name]?.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? payload[name]!.ToString()
            : throw new CamundaProblemException(400, "INVALID_ARGUMENT", $"The operation has no '{name}'.");

    private static JsonObject? Variables(JsonObject payload) => payload["variables"] is JsonObject variables ? variables.DeepClone().AsObject() : null;
}
