using System.ComponentModel.DataAnnotations;
using Atlas.Gateway.Telegram.Resilience;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// The <c>Gateway:Outbound</c> section: the send limits (defaults are Telegram's published ones) and how failed sends
/// are retried. A limit of 0 means unlimited (benchmarks and tests raise or lift them; production keeps the defaults).
/// </summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Gateway:Outbound";

    /// <summary>Messages one chat may receive per second (Telegram: about 1). No burst: each send waits for the previous one.</summary>
    [Range(0, 1000)]
    public double PerChatPerSecond { get; init; } = 1;

    /// <summary>Messages one group or supergroup (chat id below zero) may receive in any 60 seconds (Telegram: 20).</summary>
    [Range(0, 100_000)]
    public int PerGroupPerMinute { get; init; } = 20;

    /// <summary>Messages the bot may send in any one second across all chats (Telegram: 30).</summary>
    [Range(0, 100_000)]
    public int GlobalPerSecond { get; init; } = 30;

    /// <summary>Sends in flight at once (each to a different chat).</summary>
    [Range(1, 1000)]
    public int MaxConcurrentSends { get; init; } = 30;

    /// <summary>Longest 429 retry_after the sender waits out as a plain retry; a longer one parks the message until then.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>First backoff after a 5xx, network error or timeout; doubled per attempt, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the exponential backoff.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The steady wait after a 401 (the bot token was revoked, a rotation is under way): the message keeps its place
    /// and goes out soon after the gateway has the new token, instead of after a grown backoff.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan UnauthorizedRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a message may keep failing transiently before it is parked (then retried every <see cref="ParkedRetryInterval"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan RetryHorizon { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often a message parked after <see cref="RetryHorizon"/> is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ParkedRetryInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a chat claimed for a send stays claimed; only matters when a gateway dies mid-send (the message is then
    /// sent again after the lease). Well beyond the Bot API call timeout (30 s) plus the time spent recording the
    /// outcome while Redis hiccups (about 25 s), so a live send never loses its claim.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest pause between looks at the queue when nothing is due (enqueues in this process wake the sender at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan IdlePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an idempotency key is remembered.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan IdempotencyWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Longest text of one message (Telegram: 4096); longer texts are split into several messages in order.</summary>
    [Range(16, 4096)]
    public int MaxMessageLength { get; init; } = 4096;

    /// <summary>How many dead letters are kept (newest first).</summary>
    [Range(1, 1_000_000)]
    public int DeadLetterMaxLength { get; init; } = 10_000;

    /// <summary>The wait after a send before the next one to the same chat; zero when unlimited.</summary>
    public TimeSpan PerChatInterval => PerChatPerSecond > 0 ? TimeSpan.FromSeconds(1 / PerChatPerSecond) : TimeSpan.Zero;

    /// <summary>The backoff before retry <paramref name="attempt"/> (1 = the first) of a message or an action.</summary>
    public TimeSpan Backoff(int attempt) => TelegramResilience.Backoff(attempt - 1, RetryBaseDelay, RetryMaxDelay);

    /// <summary>
    /// When work failing since <paramref name="failingSince"/>, after <paramref name="attempts"/> tries, is tried next:
    /// after the backoff, or, once it has failed for longer than <see cref="RetryHorizon"/>, parked and tried every
    /// <see cref="ParkedRetryInterval"/>.
    /// </summary>
    public (TimeSpan Delay, bool Parked) NextTry(DateTimeOffset? failingSince, int attempts, DateTimeOffset now) =>
        now - failingSince >= RetryHorizon ? (ParkedRetryInterval, true) : (Backoff(attempts), false);
}
