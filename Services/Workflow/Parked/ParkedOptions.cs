using System.ComponentModel.DataAnnotations;

namespace Atlas.Workflow.Parked;

/// <summary><c>Workflow:Parked</c>: how parked work is retried.</summary>
public sealed class ParkedOptions
{
    public const string Section = "Workflow:Parked";

    /// <summary>How often the retry loop looks for due work (and probes the engine when work waits).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before the second attempt; it doubles with each attempt up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    [Range(1, 1000)]
    public int BatchSize { get; init; } = 50;

    /// <summary>The back-off before attempt <paramref name="attempts"/> + 1.</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstRetryDelay.Ticks * factor, MaxRetryDelay.Ticks));
        return delay;
    }
}
