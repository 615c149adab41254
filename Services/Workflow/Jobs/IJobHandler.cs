using System.Text.Json.Nodes;
using Atlas.Workflow.Camunda;

namespace Atlas.Workflow.Jobs;

/// <summary>
/// Does the work of one job type. Return <see cref="JobResult.Complete"/> with the variables to set, or
/// <see cref="JobResult.BpmnError"/> for a business failure the process models; throw for a technical failure
/// (the job is failed with a retry and back-off).
/// </summary>
internal interface IJobHandler
{
    string JobType { get; }

    Task<JobResult> HandleAsync(ActivatedJob job, CancellationToken cancellationToken);
}

/// <summary>What a handler decided.</summary>
internal abstract record JobResult
{
    public static JobResult Complete(JsonObject? variables = null) => new Completed(variables);

    public static JobResult BpmnError(string code, string message) => new Error(code, message);

    public sealed record Completed(JsonObject? Variables) : JobResult;

    public sealed record Error(string Code, string Message) : JobResult;
}

/// <summary>Reads typed job variables, failing with a clear message when one is missing.</summary>
internal static class JobVariables
{
    public static long? Long(ActivatedJob job, string name) => job.Variables?[name] switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text) && long.TryParse(text, out var parsed) => parsed,
        _ => null,
    };

    public static string? Text(ActivatedJob job, string name) => job.Variables?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool? Bool(ActivatedJob job, string name) => job.Variables?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;
}
