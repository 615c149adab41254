namespace Atlas.Contracts.Workflow;

/// <summary>What became of an operator's request to Workflow.</summary>
public enum WorkflowOutcome
{
    /// <summary>Camunda took it now.</summary>
    Applied,

    /// <summary>It had been applied before under the same idempotency key; nothing was sent again.</summary>
    AlreadyApplied,

    /// <summary>Camunda (or its token endpoint) is unavailable; the work is parked and retried, see the operation id.</summary>
    Parked,

    /// <summary>Camunda refused it; the detail says why.</summary>
    Refused,

    /// <summary>The Telegram user is not a workflow operator (or not an admin, for process starts).</summary>
    NotAllowed,

    /// <summary>No such process, task or parked operation.</summary>
    NotFound,

    /// <summary>The variables do not fit the task's form (the detail says what it needs); nothing was sent, the task is still open.</summary>
    Invalid,
}
