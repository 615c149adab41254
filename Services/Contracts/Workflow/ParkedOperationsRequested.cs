namespace Atlas.Contracts.Workflow;

/// <summary><c>/tasks parked</c>: an operator asks for the parked work; answered with <see cref="ParkedOperationList"/>.</summary>
public sealed record ParkedOperationsRequested(long ChatId, long UserId);
