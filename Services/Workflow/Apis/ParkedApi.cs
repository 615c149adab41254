using Atlas.ServiceDefaults.Security;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Parked;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Workflow.Apis;

/// <summary>
/// Operators' view of parked work: <c>GET /workflow/parked</c> (optionally <c>?state=parked|failed|applied|discarded</c>),
/// <c>POST /workflow/parked/{id}/resume</c> (also replays work the engine refused), <c>POST /workflow/parked/resume-all</c>
/// (the dashboard's "resume all parked" command) and <c>DELETE /workflow/parked/{id}</c> (discard).
/// </summary>
internal static class ParkedApi
{
    public static RouteGroupBuilder MapParkedApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/workflow/parked").WithTags("Parked work").RequireOpsKey(WorkflowOps.KeyPath);
        api.MapGet("/", ListAsync).WithName("ListParked");
        api.MapPost("/resume-all", ResumeAllAsync).WithName("ResumeAllParked");
        api.MapPost("/{id}/resume", ResumeAsync).WithName("ResumeParked");
        api.MapDelete("/{id}", DiscardAsync).WithName("DiscardParked");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<ParkedOperation>>, ProblemHttpResult>> ListAsync(ParkedStore store, string? state, int? limit, CancellationToken cancellationToken)
    {
        if (state is not (null or "parked" or "failed" or "applied" or "discarded"))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown state", detail: "state is one of parked, failed, applied, discarded.");
        }

        return TypedResults.Ok(await store.ListAsync(state, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken).ConfigureAwait(false));
    }

    public static async Task<Results<Ok<OutcomeBody>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>, ProblemHttpResult>> ResumeAsync(
        string id, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var outcome = await engine.ResumeAsync(id, resumedBy: null, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            null => TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 404, Title = "No such parked operation", Detail = $"Nothing was parked under '{id}'." }),
            { Status: OperationStatus.Applied or OperationStatus.AlreadyApplied } => TypedResults.Ok(OutcomeBody.From(outcome)),
            { Status: OperationStatus.Parked } => TypedResults.Problem(statusCode: 503, title: "Camunda is still unavailable", detail: outcome.Error,
                extensions: new Dictionary<string, object?> { ["operationId"] = id }),
            { Status: OperationStatus.Discarded } => TypedResults.Problem(statusCode: 409, title: "Discarded", detail: outcome.Error),
            _ => EngineResults.Refused(outcome),
        };
    }

    public static async Task<Ok<ResumeAllCounts>> ResumeAllAsync(WorkflowEngine engine, CancellationToken cancellationToken) =>
        TypedResults.Ok(await engine.ResumeAllAsync(resumedBy: null, cancellationToken).ConfigureAwait(false));

    public static async Task<Results<NoContent, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> DiscardAsync(string id, ParkedStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.DiscardAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 404, Title = "Nothing to discard", Detail = $"No parked or failed operation '{id}'." });
}
