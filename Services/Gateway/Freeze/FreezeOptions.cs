using System.ComponentModel.DataAnnotations;

namespace Atlas.Gateway.Freeze;

/// <summary>The <c>Gateway:Freeze</c> section: how the updates held during a freeze are replayed.</summary>
public sealed class FreezeOptions
{
    public const string SectionName = "Gateway:Freeze";

    /// <summary>How often each instance looks at the freeze state and the hold (an unfreeze through this instance starts at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Held updates read per replay round (in Telegram's order, by update id).</summary>
    [Range(1, 10_000)]
    public int ReplayBatchSize { get; init; } = 100;

    /// <summary>Chats replayed at once (each chat's updates one after another).</summary>
    [Range(1, 256)]
    public int ReplayConcurrency { get; init; } = 8;

    /// <summary>Replays of one update that may fail before it is given up (logged as an error with its update id).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; init; } = 5;
}
