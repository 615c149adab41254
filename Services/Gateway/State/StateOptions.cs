using System.ComponentModel.DataAnnotations;

namespace Atlas.Gateway.State;

/// <summary><c>Gateway:State</c>: how long a user's state lives in Redis (the conversation after their last message, a pending task form).</summary>
public sealed class StateOptions
{
    public const string SectionName = "Gateway:State";

    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00", ErrorMessage = "Gateway:State:ConversationTtl must be between 1 minute and 90 days.")]
    public TimeSpan ConversationTtl { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long a workflow operator's completion form (after pressing Complete under /tasks) waits for the answer.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Gateway:State:TaskFormTtl must be between 1 minute and 1 day.")]
    public TimeSpan TaskFormTtl { get; init; } = TimeSpan.FromMinutes(15);
}
