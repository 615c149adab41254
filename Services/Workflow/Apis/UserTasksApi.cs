using Atlas.ServiceDefaults.Security;
using System.Text.Json.Nodes;
using Atlas.Workflow.Camunda;
using Atlas.Workflow.Engine;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Atlas.Workflow.Apis;

/// <summary>
/// Operators' user tasks over HTTP: <c>GET /workflow/user-tasks</c>, <c>POST /workflow/user-tasks/{key}/assignment</c>,
/// <c>DELETE /workflow/user-tasks/{key}/assignee</c>, <c>POST /workflow/user-tasks/{key}/completion</c>. Writes go
/// through the <see cref="WorkflowEngine"/>: applied, or parked (202) when Camunda is unavailable.
/// </summary>
internal static class UserTasksApi
{
    public static RouteGroupBuilder MapUserTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/workflow/user-tasks").WithTags("User tasks").RequireOpsKey(WorkflowOps.KeyPath);
        api.MapGet("/", SearchAsync).WithName("SearchUserTasks");
        api.MapPost("/{key}/assignment", AssignAsync).WithName("AssignUserTask");
        api.MapDelete("/{key}/assignee", UnassignAsync).WithName("UnassignUserTask");
        api.MapPost("/{key}/completion", CompleteAsync).WithName("CompleteUserTask");
        return api;
    }

    /// <summary>Camunda's user task states (UserTaskStateEnum); the query's <c>state</c> is one of them, in any case.</summary>
    internal static readonly string[] States = ["CREATING", "CREATED", "ASSIGNING", "UPDATING", "COMPLETING", "COMPLETED", "CANCELING", "CANCELED", "FAILED"];

    internal const int MaxLimit = 500;

    public static async Task<Results<Ok<SearchResult<UserTaskResult>>, ProblemHttpResult>> SearchAsync(
        ICamundaApi camunda, string? assignee, string? candidateGroup, string? state, int? from, string? after, int? limit, CancellationToken cancellationToken)
    {
        // Checked here rather than left to the engine: the operator learns what is allowed without a round trip.
        var wanted = state is null ? "CREATED" : States.FirstOrDefault(s => s.Equals(state, StringComparison.OrdinalIgnoreCase));
        if (wanted is null)
        {
            return InvalidQuery("Unknown state", $"state is one of {string.Join(", ", States)}; '{state}' is not.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return InvalidQuery("limit out of range", $"limit is 1 to {MaxLimit} (50 when not given).");
        }

        if (from < 0 || (from is not null && after is not null))
        {
            return InvalidQuery("Invalid page", "Page with from (an offset, 0 or more) or with after (the endCursor of the previous page), not both.");
        }

        try
        {
            var filter = new UserTaskFilter(State: wanted, Assignee: assignee, CandidateGroup: candidateGroup);
            var page = new SearchPage(from, limit ?? 50, string.IsNullOrEmpty(after) ? null : after);
            return TypedResults.Ok(await camunda.SearchUserTasksAsync(new SearchRequest<UserTaskFilter>(filter, page), cancellationToken).ConfigureAwait(false));
        }
        catch (EngineUnavailableException exception)
        {
            return EngineResults.Unavailable(exception);
        }
        catch (CamundaProblemException problem)
        {
            return EngineResults.Problem(problem);
        }
    }

    private static ProblemHttpResult InvalidQuery(string title, string detail) => TypedResults.Problem(statusCode: 400, title: title, detail: detail);

    public static async Task<Results<Ok<UserTaskResult>, Accepted<OutcomeBody>, ProblemHttpResult>> AssignAsync(
        string key, [FromBody] AssignmentBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        WorkflowEngine engine, ICamundaApi camunda, ReadAfterWrite reads, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Assignee))
        {
            return TypedResults.Problem(statusCode: 400, title: "An assignee is required", detail: "Send {\"assignee\": \"<user name>\"}; to unassign, DELETE /workflow/user-tasks/{key}/assignee.");
        }

        var operation = new EngineOperation(
            idempotencyKey ?? $"assign:{key}:{body.Assignee}:{Guid.NewGuid():N}", OperationKinds.AssignUserTask,
            new JsonObject { ["userTaskKey"] = key, ["assignee"] = body.Assignee, ["allowOverride"] = body.AllowOverride ?? false });
        var outcome = await engine.ExecuteAsync(operation, cancellationToken).ConfigureAwait(false);
        if (EngineResults.NotApplied(outcome) is { } notApplied)
        {
            return notApplied.Result is Accepted<OutcomeBody> accepted ? accepted : (ProblemHttpResult)notApplied.Result;
        }

        var task = await reads.UntilAsync(ct => camunda.GetUserTaskAsync(key, ct), t => t.Assignee == body.Assignee, cancellationToken).ConfigureAwait(false);
        return task is null ? TypedResults.Accepted((string?)null, OutcomeBody.From(outcome)) : TypedResults.Ok(task);
    }

    public static async Task<Results<NoContent, Accepted<OutcomeBody>, ProblemHttpResult>> UnassignAsync(
        string key, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var operation = new EngineOperation(idempotencyKey ?? $"unassign:{key}:{Guid.NewGuid():N}", OperationKinds.UnassignUserTask, new JsonObject { ["userTaskKey"] = key });
        return Written(await engine.ExecuteAsync(operation, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<Results<NoContent, Accepted<OutcomeBody>, ProblemHttpResult>> CompleteAsync(
        string key, [FromBody] CompletionBody? body, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        // A user task is completed once: its key is the natural idempotency key.
        var operation = new EngineOperation($"complete:{key}", OperationKinds.CompleteUserTask,
            new JsonObject { ["userTaskKey"] = key, ["variables"] = body?.Variables?.DeepClone() });
        return Written(await engine.ExecuteAsync(operation, cancellationToken).ConfigureAwait(false));
    }

    private static Results<NoContent, Accepted<OutcomeBody>, ProblemHttpResult> Written(OperationOutcome outcome) =>
        EngineResults.NotApplied(outcome) switch
        {
            null => TypedResults.NoContent(),
            { Result: Accepted<OutcomeBody> accepted } => accepted,
            var other => (ProblemHttpResult)other.Result,
        };
}

/// <summary>Body of an assignment: the Camunda user name, and whether to take the task from another assignee.</summary>
internal sealed record AssignmentBody(string? Assignee, bool? AllowOverride);

/// <summary>Body of a completion: the variables the task sets.</summary>
internal sealed record CompletionBody(JsonObject? Variables);
