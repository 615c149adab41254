using System.ComponentModel.DataAnnotations;

namespace Atlas.Gateway.Telegram.Resilience;

/// <summary>The <c>Telegram:Resilience</c> section: how every outbound Bot API call is timed out and retried.</summary>
public sealed class TelegramResilienceOptions
{
    public const string SectionName = "Telegram:Resilience";

    /// <summary>First delay after a failed call (5xx, network, timeout); doubles per failure, half of it random.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the growing delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:30:00")]
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Cap of a 429 retry_after that the persistent callers (polling, webhook registration) wait out.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxFloodWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one attempt may take (a long poll gets its poll timeout on top).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

}
