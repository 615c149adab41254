using Atlas.Workflow.Camunda;
using Atlas.Workflow.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Workflow.Apis;

/// <summary>How the workflow API answers an engine outcome or failure, in one place.</summary>
internal static class EngineResults
{
    /// <summary>202 with the operation id when the work was parked; a problem when it was refused or discarded.</summary>
    public static Results<Accepted<OutcomeBody>, ProblemHttpResult>? NotApplied(OperationOutcome outcome) => outcome.Status switch
    {
        OperationStatus.Parked => TypedResults.Accepted($"/workflow/parked/{Uri.EscapeDataString(outcome.OperationId)}", OutcomeBody.From(outcome)),
        OperationStatus.Rejected => Refused(outcome),
        OperationStatus.Discarded => TypedResults.Problem(statusCode: 409, title: "Discarded", detail: outcome.Error),
        _ => null,
    };

    public static ProblemHttpResult Refused(OperationOutcome outcome) => TypedResults.Problem(
        statusCode: outcome.ProblemStatus is >= 400 and < 500 ? outcome.ProblemStatus : 502,
        title: outcome.ProblemTitle ?? "Camunda refused the operation",
        detail: outcome.Error,
        extensions: new Dictionary<string, object?> { ["operationId"] = outcome.OperationId });

    public static ProblemHttpResult Unavailable(EngineUnavailableException exception) =>
        TypedResults.Problem(statusCode: 503, title: "Camunda is unavailable", detail: exception.Reason);

    public static ProblemHttpResult Problem(CamundaProblemException problem) =>
        TypedResults.Problem(statusCode: problem.Status is >= 400 and < 500 ? problem.Status : 502, title: problem.Title, detail: problem.Detail);
}

/// <summary>An operation's outcome over HTTP.</summary>
internal sealed record OutcomeBody(string OperationId, string Status, System.Text.Json.Nodes.JsonObject? Result, string? Error)
{
    public static OutcomeBody From(OperationOutcome outcome) =>
        new(outcome.OperationId, outcome.Status.ToString().ToLowerInvariant(), outcome.Result, outcome.Error);
}
