namespace Atlas.Contracts.Workflow;

/// <summary>The parked work, oldest first (<see cref="Allowed"/> is false, and the list empty, for a non-operator).</summary>
public sealed record ParkedOperationList(bool Allowed, IReadOnlyList<ParkedOperationSummary> Operations);

/// <summary>One parked operation as an operator sees it.</summary>
public sealed record ParkedOperationSummary(string OperationId, string Kind, int Attempts, string? LastError, DateTimeOffset ParkedAt);
