using System.ComponentModel.DataAnnotations;

namespace Atlas.Gateway.Moderation;

/// <summary><c>Gateway:Moderation</c>: how the gateway executes moderation actions.</summary>
public sealed class ModerationOptions
{
    public const string SectionName = "Gateway:Moderation";

    /// <summary>
    /// A Telegram flood wait up to this long is waited out before the one retry of the call; a longer one goes back
    /// to the bus, whose retries do not call Telegram again before retry_after has passed (the message stays on the
    /// broker meanwhile).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30", ErrorMessage = "Gateway:Moderation:MaxInlineFloodWait must be between 0 and 30 s.")]
    public TimeSpan MaxInlineFloodWait { get; init; } = TimeSpan.FromSeconds(5);
}
