using Atlas.Gateway.Telegram;

namespace Atlas.Gateway.Diagnostics;

/// <summary>Ingest log lines (event ids 1000-1999): receivers, deduplication, webhook, mode switching. No token, no user text.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1000, LogLevel.Warning, "A batch of {Count} updates ({First}..{Last}) was not taken by the broker; each is refused so its sender delivers it again: {Reason}")]
    public static partial void IngestBatchFailed(ILogger logger, int count, long first, long last, string reason);

    [LoggerMessage(1001, LogLevel.Information, "Update {UpdateId} was handled before; this delivery is skipped")]
    public static partial void DuplicateUpdate(ILogger logger, long updateId);

    [LoggerMessage(1002, LogLevel.Warning, "Update {UpdateId} on the bus cannot be read as an update and is dropped: {Reason}")]
    public static partial void UndecodableUpdate(ILogger logger, long updateId, string? reason);

    [LoggerMessage(1003, LogLevel.Warning, "Redis is unavailable ({Reason}); update {UpdateId} is handled without the duplicate guard")]
    public static partial void DedupUnavailable(ILogger logger, long updateId, string reason);

    [LoggerMessage(1004, LogLevel.Warning, "Update {UpdateId} was handled but could not be marked as handled ({Reason}); a redelivery may repeat it")]
    public static partial void HandledMarkNotSaved(ILogger logger, long updateId, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "The claim on update {UpdateId} could not be released ({Reason}); a retry waits until it expires")]
    public static partial void ClaimNotReleased(ILogger logger, long updateId, string reason);

    [LoggerMessage(1007, LogLevel.Error, "Update {UpdateId} still failed after its retries; the batch goes to the error queue once its other updates are done, and only this update runs again if it is moved back")]
    public static partial void UpdateFailed(ILogger logger, Exception exception, long updateId);

    [LoggerMessage(1006, LogLevel.Warning, "Handling update {UpdateId} failed (attempt {Attempt}); retrying in its chat's turn")]
    public static partial void UpdateRetrying(ILogger logger, Exception exception, long updateId, int attempt);

    [LoggerMessage(1010, LogLevel.Information, "Polling getUpdates from offset {Offset}")]
    public static partial void PollingStarted(ILogger logger, long? offset);

    [LoggerMessage(1011, LogLevel.Information, "Polling stopped; the next offset {Offset} is saved")]
    public static partial void PollingStopped(ILogger logger, long? offset);

    [LoggerMessage(1016, LogLevel.Warning, "Update {UpdateId} could not be put on the bus ({Reason}); the batch is fetched again in {Delay}")]
    public static partial void PollingHandOverFailed(ILogger logger, long? updateId, string reason, TimeSpan delay);

    [LoggerMessage(1017, LogLevel.Warning, "Polled update {UpdateId} is not a readable update and is skipped: {Reason}")]
    public static partial void PolledUpdateUndecodable(ILogger logger, long? updateId, string? reason);

    [LoggerMessage(1018, LogLevel.Debug, "{Count} polled updates are on the bus; next offset {Offset}")]
    public static partial void PollingBatchHandedOver(ILogger logger, int count, long? offset);

    [LoggerMessage(1019, LogLevel.Warning, "The polling offset could not be read from Redis ({Reason}); Telegram's own confirmation point is used")]
    public static partial void OffsetNotLoaded(ILogger logger, string reason);

    [LoggerMessage(1020, LogLevel.Warning, "The polling offset {Offset} could not be saved to Redis ({Reason}); it is kept in memory")]
    public static partial void OffsetNotSaved(ILogger logger, long offset, string reason);

    [LoggerMessage(1030, LogLevel.Debug, "Webhook request rejected with {StatusCode}: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(1031, LogLevel.Warning, "Webhook update {UpdateId} answered 503 so that Telegram delivers it again: {Reason}")]
    public static partial void WebhookBusUnavailable(ILogger logger, long updateId, string reason);

    [LoggerMessage(1032, LogLevel.Information, "Webhook registered with Telegram at {Url}")]
    public static partial void WebhookRegistered(ILogger logger, Uri url);

    [LoggerMessage(1033, LogLevel.Information, "Webhook removed from Telegram (pending updates kept)")]
    public static partial void WebhookRemoved(ILogger logger);

    [LoggerMessage(1034, LogLevel.Warning, "Telegram {Method} failed ({Reason}); retrying in {Delay}")]
    public static partial void TelegramRetrying(ILogger logger, string method, string reason, TimeSpan delay);

    [LoggerMessage(1035, LogLevel.Warning, "Telegram:WebhookSecret is not set: this process registers a secret of its own, so a second instance behind the same URL would be refused; set one when running more than one")]
    public static partial void WebhookWithoutSecret(ILogger logger);

    [LoggerMessage(1045, LogLevel.Warning, "Stopping with {Pending} handed-over updates not yet handled; they stay on the bus for the next start")]
    public static partial void ShutdownDrainIncomplete(ILogger logger, int pending);

    [LoggerMessage(1040, LogLevel.Information, "Switching Telegram mode from {From} to {To}")]
    public static partial void ModeSwitching(ILogger logger, TelegramMode from, TelegramMode to);

    [LoggerMessage(1041, LogLevel.Information, "Telegram mode {Mode} entered")]
    public static partial void ModeEntered(ILogger logger, TelegramMode mode);

    [LoggerMessage(1042, LogLevel.Information, "The mode stored in Redis ({Stored}) overrides the configured {Configured}")]
    public static partial void StoredModeOverridesConfiguration(ILogger logger, TelegramMode stored, TelegramMode configured);

    [LoggerMessage(1043, LogLevel.Warning, "The mode stored in Redis ({Stored}) cannot be used with this configuration; the configured mode is used")]
    public static partial void StoredModeUnusable(ILogger logger, TelegramMode stored);

    [LoggerMessage(1044, LogLevel.Warning, "The stored mode could not be read from Redis ({Reason}); starting in the configured {Configured}")]
    public static partial void ModeNotLoaded(ILogger logger, TelegramMode configured, string reason);

    [LoggerMessage(1046, LogLevel.Warning, "Stopping the bus at shutdown failed; the host's own bus stop follows")]
    public static partial void BusStopFailed(ILogger logger, Exception exception);
}
