using Atlas.ServiceDefaults.Security;
using System.Text.Json.Nodes;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Processes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Atlas.Workflow.Apis;

/// <summary>
/// <c>POST /workflow/process-instances</c> with <c>{"processDefinitionId": "...", "variables": {...}}</c>. An
/// <c>Idempotency-Key</c> header makes a retried request start nothing twice (it is also the instance's business id).
/// </summary>
internal static class ProcessInstancesApi
{
    public static RouteGroupBuilder MapProcessInstancesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/workflow/process-instances").WithTags("Process instances").RequireOpsKey(WorkflowOps.KeyPath);
        api.MapPost("/", StartAsync).WithName("StartProcessInstance");
        return api;
    }

    public static async Task<Results<Created<OutcomeBody>, Ok<OutcomeBody>, Accepted<OutcomeBody>, ProblemHttpResult>> StartAsync(
        [FromBody] StartBody? body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        WorkflowEngine engine, ProcessCatalog catalog, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.ProcessDefinitionId))
        {
            return TypedResults.Problem(statusCode: 400, title: "A processDefinitionId is required", detail: $"Known processes: {string.Join(", ", catalog.KnownIds)}.");
        }

        if (idempotencyKey is { Length: > 200 })
        {
            return TypedResults.Problem(statusCode: 400, title: "Idempotency-Key too long", detail: "Use at most 200 characters.");
        }

        var operation = new EngineOperation(idempotencyKey ?? $"start:{Guid.NewGuid():N}", OperationKinds.CreateProcessInstance,
            new JsonObject { ["processDefinitionId"] = body.ProcessDefinitionId, ["variables"] = body.Variables?.DeepClone() ?? new JsonObject() });
        var outcome = await engine.ExecuteAsync(operation, cancellationToken).ConfigureAwait(false);
        return outcome.Status switch
        {
            OperationStatus.Applied => TypedResults.Created((string?)null, OutcomeBody.From(outcome)),
            OperationStatus.AlreadyApplied => TypedResults.Ok(OutcomeBody.From(outcome)),
            _ => EngineResults.NotApplied(outcome)!.Result switch
            {
                Accepted<OutcomeBody> accepted => accepted,
                var problem => (ProblemHttpResult)problem,
            },
        };
    }
}

/// <summary>Body of a process start.</summary>
internal sealed record StartBody(string? ProcessDefinitionId, JsonObject? Variables);
