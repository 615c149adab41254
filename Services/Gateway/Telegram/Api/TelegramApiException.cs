namespace Atlas.Gateway.Telegram.Api;

/// <summary>
/// Telegram answered <c>"ok": false</c> (or not with JSON at all). The message is Telegram's description and never
/// carries the request URL, which holds the bot token.
/// </summary>
public sealed class TelegramApiException : Exception
{
    public TelegramApiException()
    {
    }

    public TelegramApiException(string message) : base(message)
    {
    }

    public TelegramApiException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public TelegramApiException(string method, int errorCode, string description, TimeSpan? retryAfter = null)
        : base($"Telegram {method} failed with {errorCode}: {description}")
    {
        Method = method;
        ErrorCode = errorCode;
        Description = description;
        RetryAfter = retryAfter;
    }

    public string Method { get; } = "";

    /// <summary>Telegram's error_code (HTTP status when the answer was not Telegram's JSON).</summary>
    public int ErrorCode { get; }

    public string Description { get; } = "";

    /// <summary>The flood-wait Telegram asked for (parameters.retry_after) on a 429.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// How long to wait before calling again: <see cref="RetryAfter"/> plus <see cref="FloodWaitMargin"/>. Telegram
    /// counts in whole seconds, and a timer may end a fraction of a millisecond early by the wall clock; a call that
    /// lands on the boundary risks another 429. Null when Telegram named no wait.
    /// </summary>
    public TimeSpan? WaitBeforeRetry => RetryAfter + FloodWaitMargin;

    public static TimeSpan FloodWaitMargin { get; } = TimeSpan.FromMilliseconds(100);

    public bool IsFloodWait => ErrorCode == 429;

    /// <summary>Worth retrying as is: a flood wait or a server-side error.</summary>
    public bool IsTransient => ErrorCode == 429 || ErrorCode >= 500;

    /// <summary>Another getUpdates poller or an active webhook (409).</summary>
    public bool IsConflict => ErrorCode == 409;
}
