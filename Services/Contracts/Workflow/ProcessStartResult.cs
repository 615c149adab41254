namespace Atlas.Contracts.Workflow;

/// <summary>
/// The outcome of <see cref="StartProcessInstance"/>: the new instance's key when applied, the operation id when
/// parked, the known processes (in <see cref="Detail"/>) when the process is unknown.
/// </summary>
public sealed record ProcessStartResult(WorkflowOutcome Outcome, string? ProcessInstanceKey = null, string? OperationId = null, string? Detail = null);
