namespace Atlas.Contracts.Workflow;

/// <summary>The outcome of <see cref="ResumeParkedOperation"/>: whether it resumed, and why not when it did not.</summary>
public sealed record ParkedOperationResumed(string OperationId, bool Resumed, string Detail);
