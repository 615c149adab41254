namespace Atlas.Contracts.Workflow;

/// <summary>The user tasks open for an operator.</summary>
public sealed record UserTaskList(IReadOnlyList<UserTaskSummary> Tasks);

/// <summary>One Camunda user task as an operator sees it.</summary>
public sealed record UserTaskSummary(string TaskKey, string Name, string ProcessName, string? Assignee, DateTimeOffset CreatedAt);
