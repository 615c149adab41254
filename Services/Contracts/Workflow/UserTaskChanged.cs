namespace Atlas.Contracts.Workflow;

/// <summary>
/// The outcome of <see cref="ChangeUserTask"/>. <see cref="OperationId"/> names the parked operation when
/// <see cref="Outcome"/> is <see cref="WorkflowOutcome.Parked"/>; <see cref="Detail"/> is the engine's reason when it refused.
/// </summary>
public sealed record UserTaskChanged(string TaskKey, UserTaskChange Change, WorkflowOutcome Outcome, string? OperationId = null, string? Detail = null);
