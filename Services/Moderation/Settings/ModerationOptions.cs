using System.ComponentModel.DataAnnotations;

namespace Atlas.Moderation.Settings;

/// <summary><c>Moderation</c>: how the service asks the gateway and LlmRouter, and guards its ops API.</summary>
public sealed class ModerationOptions
{
    public const string SectionName = "Moderation";

    /// <summary>How long a chat's administrator list (from getChatAdministrators) is trusted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Moderation:AdminCacheTtl must be between 1 s and 1 h.")]
    public TimeSpan AdminCacheTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for the gateway to list a chat's administrators.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30", ErrorMessage = "Moderation:AdminRequestTimeout must be between 100 ms and 30 s.")]
    public TimeSpan AdminRequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a suspicious message waits for LlmRouter's spam verdict (in chats with LLM verdicts on). Past it, or
    /// without an answer at all, the rules alone decide. The wait comes before the message's database transaction and
    /// holds no PostgreSQL connection.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30", ErrorMessage = "Moderation:LlmVerdictTimeout must be between 100 ms and 30 s.")]
    public TimeSpan LlmVerdictTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The key ops send as <c>X-Admin-Key</c> to <c>/moderation/*</c>; without it the ops API is switched off.</summary>
    public string? OpsApiKey { get; init; }

    /// <summary>Longest message excerpt kept in the audit log (after masking).</summary>
    [Range(0, 1000, ErrorMessage = "Moderation:ExcerptLength must be between 0 and 1000.")]
    public int ExcerptLength { get; init; } = 200;

    /// <summary>
    /// Longest pause between two attempts at an event while PostgreSQL, Redis or the broker is away. Such an event is
    /// retried for as long as the outage lasts (it stays unacknowledged on the broker), with pauses growing to this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Moderation:OutageRetryMaxInterval must be between 100 ms and 10 min.")]
    public TimeSpan OutageRetryMaxInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many events each consumer works on at once (and the broker sends ahead). A decision mostly waits on
    /// PostgreSQL, Redis and the broker, so throughput is about this many divided by one decision's time.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Moderation:ConcurrentMessageLimit must be between 1 and 1000.")]
    public int ConcurrentMessageLimit { get; init; } = 32;

    /// <summary>
    /// How long a handled event is remembered, so that a redelivery of it is a no-op (a broker redelivers within
    /// minutes; a week is a wide margin). Older records are pruned every hour; the audit log keeps everything.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Moderation:ProcessedEventsRetention must be between 1 h and 365 days.")]
    public TimeSpan ProcessedEventsRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a warning counts toward the warn limit in chats that set no lifetime of their own (<c>/warnexpiry</c>);
    /// 0 means warnings never expire. Expired warnings stay in the audit log.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "Moderation:WarningLifetime must be between 0 (never expire) and 3650 days.")]
    public TimeSpan WarningLifetime { get; init; } = TimeSpan.FromDays(30);
}
