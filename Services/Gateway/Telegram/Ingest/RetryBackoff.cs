using Atlas.Gateway.Telegram.Client;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// Exponential backoff with jitter for the receivers' Telegram calls: the delay doubles per consecutive failure up to
/// a cap, and a random half of it is added so restarted gateways do not retry in lockstep. A 429 waits what Telegram
/// asked for (retry_after), capped.
/// </summary>
internal sealed class RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan maxFloodWait)
{
    private int _failures;

    public RetryBackoff(IngestOptions options)
        : this(options?.RetryBaseDelay ?? throw new ArgumentNullException(nameof(options)), options.RetryMaxDelay, options.MaxFloodWait)
    {
    }

    /// <summary>The wait before the next attempt after <paramref name="failure"/>.</summary>
    public TimeSpan NextDelay(Exception? failure = null)
    {
        if (failure?.WaitBeforeRetry() is { } wait)
        {
            _failures++;
            return wait < maxFloodWait ? wait : maxFloodWait;
        }

        var exponent = Math.Min(_failures, 20);
        _failures++;
        var grown = baseDelay * Math.Pow(2, exponent);
        var capped = grown < maxDelay ? grown : maxDelay;
#pragma warning disable CA5394 // Jitter, not security: a predictable random is fine.
        var jitter = Random.Shared.NextDouble();
#pragma warning restore CA5394
        return (capped / 2) + (capped / 2 * jitter);
    }

    /// <summary>A call succeeded: the next failure starts from the base delay again.</summary>
    public void Reset() => _failures = 0;
}
