namespace Atlas.Gateway.Diagnostics;

/// <summary>
/// Log lines of the outbound sender (event ids 3000-3999). They name chats, idempotency keys and text lengths, never
/// the text itself or the token.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Outbound sender started with {Depth} messages queued")]
    public static partial void OutboundSenderStarted(ILogger logger, long depth);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Outbound sender stopping; waiting for {InFlight} sends in flight, the rest stays queued")]
    public static partial void OutboundSenderStopping(ILogger logger, int inFlight);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Outbound sender could not work on the queue in Redis; trying again in {Delay}")]
    public static partial void OutboundSenderFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Sent part {Part}/{Parts} of {IdempotencyKey} to chat {ChatId} after {FailedAttempts} failed attempts")]
    public static partial void OutboundSent(ILogger logger, long chatId, string idempotencyKey, int part, int parts, int failedAttempts);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Telegram asked to wait {RetryAfter} before sending {IdempotencyKey} to chat {ChatId} again (429); parked: {Parked}")]
    public static partial void OutboundFloodWait(ILogger logger, long chatId, string idempotencyKey, TimeSpan retryAfter, bool parked);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Sending {IdempotencyKey} to chat {ChatId} failed (attempt {Attempt}); retrying in {Delay}; parked: {Parked}")]
    public static partial void OutboundRetrying(ILogger logger, Exception? exception, long chatId, string idempotencyKey, int attempt, TimeSpan delay, bool parked);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Message {IdempotencyKey} to chat {ChatId} is parked until {RetryAt:o}; it stays queued")]
    public static partial void OutboundParked(ILogger logger, long chatId, string idempotencyKey, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Message {IdempotencyKey} to chat {ChatId} ({TextLength} characters) moved to dead letters: Telegram answered {ErrorCode} {Description}")]
    public static partial void OutboundDeadLettered(ILogger logger, long chatId, string idempotencyKey, int errorCode, string description, int textLength);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "A queued entry of chat {ChatId} ({Length} characters) is not a readable message; moved to dead letters")]
    public static partial void OutboundUnreadable(ILogger logger, long chatId, int length);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Debug, Message = "Message {IdempotencyKey} to chat {ChatId} was queued before; not queued again")]
    public static partial void OutboundDuplicate(ILogger logger, long chatId, string idempotencyKey);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Message {IdempotencyKey} to chat {ChatId} has {Length} characters; split into {Parts} messages")]
    public static partial void OutboundSplit(ILogger logger, long chatId, string idempotencyKey, int length, int parts);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "SendTelegramMessage for chat {ChatId} ({TextLength} characters) rejected and kept as a dead letter: {Reason}")]
    public static partial void OutboundCommandRejected(ILogger logger, long chatId, int textLength, string reason);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "The next message of chat {ChatId} changed while it was being sent (a claim lease ran out?); left as it is")]
    public static partial void OutboundHeadChanged(ILogger logger, long chatId);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Could not record a send outcome for chat {ChatId} in Redis; trying again in {Delay}")]
    public static partial void OutboundPersistFailed(ILogger logger, Exception exception, long chatId, TimeSpan delay);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "A send to chat {ChatId} failed unexpectedly; the chat is retried when its claim lease ends")]
    public static partial void OutboundAttemptFailed(ILogger logger, Exception exception, long chatId);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Telegram could not parse the {ParseMode} markup of {IdempotencyKey} to chat {ChatId}; sending it as plain text")]
    public static partial void OutboundMarkupFallback(ILogger logger, long chatId, string idempotencyKey, string parseMode);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Information, Message = "Chat {ChatId} became supergroup {SupergroupId}; {IdempotencyKey} and the rest of its queue go there")]
    public static partial void OutboundChatMigrated(ILogger logger, long chatId, long supergroupId, string idempotencyKey);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Debug, Message = "Moderation action {Action} for chat {ChatId} was queued before; not queued again")]
    public static partial void OutboundActionDuplicate(ILogger logger, long chatId, string action);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Warning, Message = "Telegram asked to wait {RetryAfter} before moderation action {Action} in chat {ChatId} (429); the chat's messages wait too; parked: {Parked}")]
    public static partial void OutboundActionFloodWait(ILogger logger, long chatId, string action, TimeSpan retryAfter, bool parked);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Warning, Message = "Moderation action {Action} in chat {ChatId} failed (attempt {Attempt}); retrying in {Delay}; parked: {Parked}")]
    public static partial void OutboundActionRetrying(ILogger logger, Exception exception, long chatId, string action, int attempt, TimeSpan delay, bool parked);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Error, Message = "A queued moderation action of chat {ChatId} ({Length} characters) is not readable; moved to dead letters")]
    public static partial void OutboundActionUnreadable(ILogger logger, long chatId, int length);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Chat {ChatId} became supergroup {SupergroupId}; moderation action {Action} and the rest of its actions go there")]
    public static partial void OutboundActionChatMigrated(ILogger logger, long chatId, long supergroupId, string action);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "The next moderation action of chat {ChatId} changed while it ran (a claim lease ran out?); left as it is")]
    public static partial void OutboundActionHeadChanged(ILogger logger, long chatId);
}
