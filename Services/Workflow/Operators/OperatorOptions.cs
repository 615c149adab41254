namespace Atlas.Workflow.Operators;

/// <summary>
/// <c>Workflow:Operators</c>: who works on user tasks. Each operator is a Telegram user with a Camunda user name
/// (the assignee) and candidate groups; admins may also start processes.
/// </summary>
public sealed class OperatorOptions
{
    public const string Section = "Workflow";

    public IReadOnlyList<WorkflowOperator> Operators { get; init; } = [];

    public WorkflowOperator? ByTelegramUser(long userId) => Operators.FirstOrDefault(o => o.TelegramUserId == userId);
}

/// <summary>One operator.</summary>
public sealed class WorkflowOperator
{
    public long TelegramUserId { get; init; }

    public string UserName { get; init; } = "";

    public IReadOnlyList<string> CandidateGroups { get; init; } = [];

    public bool Admin { get; init; }
}
