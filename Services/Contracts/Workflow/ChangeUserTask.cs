namespace Atlas.Contracts.Workflow;

/// <summary>
/// An operator's button under <c>/tasks</c> (or their answer to the completion form): claim, unclaim or complete a
/// user task; answered with <see cref="UserTaskChanged"/>. <see cref="RequestId"/> comes from the Telegram update, so a
/// redelivered request claims nothing twice; a completion is keyed by the task itself.
/// </summary>
public sealed record ChangeUserTask(
    long ChatId,
    long UserId,
    string TaskKey,
    UserTaskChange Change,
    string RequestId,
    IReadOnlyDictionary<string, string>? Variables = null);

/// <summary>What an operator does to a user task.</summary>
public enum UserTaskChange
{
    Claim,
    Unclaim,
    Complete,
}
