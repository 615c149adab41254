using System.Text.Json.Nodes;

namespace Atlas.Workflow.Engine;

/// <summary>
/// One write to the engine, as data, so it can be parked and replayed: <see cref="Id"/> is its idempotency key,
/// <see cref="Kind"/> one of <see cref="OperationKinds"/>, <see cref="Payload"/> its arguments.
/// </summary>
public sealed record EngineOperation(string Id, string Kind, JsonObject Payload, long? ChatId = null);

/// <summary>The engine writes Atlas makes.</summary>
public static class OperationKinds
{
    public const string CreateProcessInstance = "create-process-instance";
    public const string CancelProcessInstance = "cancel-process-instance";
    public const string AssignUserTask = "assign-user-task";
    public const string UnassignUserTask = "unassign-user-task";
    public const string CompleteUserTask = "complete-user-task";
    public const string PublishMessage = "publish-message";
    public const string CorrelateMessage = "correlate-message";
    public const string CompleteJob = "complete-job";
    public const string FailJob = "fail-job";
    public const string ThrowJobError = "throw-job-error";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        CreateProcessInstance, CancelProcessInstance, AssignUserTask, UnassignUserTask, CompleteUserTask,
        PublishMessage, CorrelateMessage, CompleteJob, FailJob, ThrowJobError,
    };
}

/// <summary>What became of an operation.</summary>
public enum OperationStatus
{
    /// <summary>The engine took it now.</summary>
    Applied,

    /// <summary>It had been applied before under the same idempotency key; nothing was sent again.</summary>
    AlreadyApplied,

    /// <summary>The engine or its token endpoint is unavailable; it waits in PostgreSQL and is retried.</summary>
    Parked,

    /// <summary>The engine refused it (a problem detail); it is not retried by itself.</summary>
    Rejected,

    /// <summary>An operator discarded it.</summary>
    Discarded,
}

/// <summary>The outcome of one operation: its result (e.g. the new process instance key) or why it is not applied.</summary>
public sealed record OperationOutcome(string OperationId, OperationStatus Status, JsonObject? Result = null, string? Error = null, int? ProblemStatus = null, string? ProblemTitle = null);
