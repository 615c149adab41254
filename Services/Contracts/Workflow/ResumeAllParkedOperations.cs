namespace Atlas.Contracts.Workflow;

/// <summary>The "Resume all" button under <c>/tasks parked</c>; answered with <see cref="ParkedOperationsResumed"/>.</summary>
public sealed record ResumeAllParkedOperations(long ChatId, long UserId);
