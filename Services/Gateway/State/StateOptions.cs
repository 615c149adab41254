using System.ComponentModel.DataAnnotations;

namespace Atlas.Gateway.State;

/// <summary><c>Gateway:State</c>: how long a user's conversation state lives in Redis after their last message.</summary>
public sealed class StateOptions
{
    public const string SectionName = "Gateway:State";

    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00", ErrorMessage = "Gateway:State:ConversationTtl must be between 1 minute and 90 days.")]
    public TimeSpan ConversationTtl { get; init; } = TimeSpan.FromDays(7);
}
