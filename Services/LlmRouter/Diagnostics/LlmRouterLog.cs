namespace Atlas.LlmRouter.Diagnostics;

/// <summary>LlmRouter's repeated log lines. They name providers, reasons and sizes, never prompt text or keys.</summary>
public static partial class LlmRouterLog
{
    [LoggerMessage(1, LogLevel.Information, "LLM providers configured in order: {Providers}")]
    public static partial void ProvidersConfigured(ILogger logger, string providers);

    [LoggerMessage(2, LogLevel.Warning, "LLM provider {Provider} cools down for {Seconds} s after {Reason}")]
    public static partial void ProviderCooling(ILogger logger, string provider, string reason, double seconds);

    [LoggerMessage(3, LogLevel.Information, "LLM provider {Provider} answered again; its circuit is closed")]
    public static partial void ProviderRecovered(ILogger logger, string provider);

    [LoggerMessage(4, LogLevel.Warning, "Active LLM provider changed from {From} to {To}")]
    public static partial void ActiveProviderChanged(ILogger logger, string from, string to);

    [LoggerMessage(5, LogLevel.Warning, "LLM provider {Provider} failed ({Reason}, HTTP {Status}); trying the next one")]
    public static partial void ProviderFailed(ILogger logger, string provider, string reason, int? status);

    [LoggerMessage(6, LogLevel.Warning, "Redis is unavailable for the {Feature}; going on without it")]
    public static partial void RedisUnavailable(ILogger logger, Exception exception, string feature);

    [LoggerMessage(7, LogLevel.Warning, "Knowledge search for grounding failed; answering without passages")]
    public static partial void GroundingFailed(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "Knowledge search for grounding took longer than {TimeoutMs} ms; answering without passages")]
    public static partial void GroundingTimedOut(ILogger logger, double timeoutMs);

    [LoggerMessage(8, LogLevel.Information, "Rate-limited switch set to {On} by {By}")]
    public static partial void RateLimitedChanged(ILogger logger, bool on, string by);

    [LoggerMessage(9, LogLevel.Warning, "Knowledge document from the bus rejected: {Reason} (rule {Rule})")]
    public static partial void DocumentRejected(ILogger logger, string reason, string? rule);

    [LoggerMessage(10, LogLevel.Information, "Knowledge retention deleted {Count} documents not updated since {Cutoff}")]
    public static partial void RetentionDeleted(ILogger logger, long count, DateTimeOffset cutoff);

    [LoggerMessage(11, LogLevel.Warning, "User {UserId} is past the daily LLM quota")]
    public static partial void QuotaReached(ILogger logger, long userId);

    [LoggerMessage(12, LogLevel.Warning, "Knowledge retention sweep failed; trying again at the next interval")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Error, "The knowledge store failed; the request was answered 503")]
    public static partial void KnowledgeStoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Information, "Spam verdict for message {MessageId} in chat {ChatId}: {Verdict} by {Provider} ({Reason})")]
    public static partial void VerdictGiven(ILogger logger, long chatId, long messageId, string verdict, string provider, string reason);

    [LoggerMessage(16, LogLevel.Warning, "A response cache entry could not be read ({Reason}); treated as a miss, the next answer replaces it")]
    public static partial void CacheEntryUnreadable(ILogger logger, string reason);
}
