namespace Atlas.Contracts.Workflow;

/// <summary><c>/tasks</c>: an operator asks for the user tasks they can work on; answered with <see cref="UserTaskList"/>.</summary>
public sealed record UserTasksRequested(long ChatId, long UserId, string? Assignee);
