namespace Atlas.Gateway.Telegram.Resilience;

/// <summary>How a Bot API call is retried by <see cref="TelegramResilience"/>.</summary>
public enum TelegramRetry
{
    /// <summary>
    /// Not retried in place, only timed out: the caller keeps its own durable schedule (the outbound queue), and a
    /// sendMessage retried blindly after a timeout could reach the user twice.
    /// </summary>
    None,

    /// <summary>
    /// Retried until it succeeds or the caller stops: every failure (a 401 or 409 may be fixed meanwhile), flood
    /// waits capped at <see cref="TelegramResilienceOptions.MaxFloodWait"/> (polling, webhook registration).
    /// </summary>
    UntilStopped,
}
