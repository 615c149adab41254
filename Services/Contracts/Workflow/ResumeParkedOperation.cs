namespace Atlas.Contracts.Workflow;

/// <summary><c>/resume</c>: an operator resumes parked work; answered with <see cref="ParkedOperationResumed"/>.</summary>
public sealed record ResumeParkedOperation(string OperationId, long ChatId, long UserId);
