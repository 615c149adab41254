namespace Atlas.Contracts.Workflow;

/// <summary>
/// The outcome of <see cref="ResumeParkedOperation"/>: whether it resumed, the outcome by kind (for the bot's own
/// words), and the detail (e.g. why Camunda is still unavailable).
/// </summary>
public sealed record ParkedOperationResumed(string OperationId, bool Resumed, string Detail, WorkflowOutcome Outcome);
