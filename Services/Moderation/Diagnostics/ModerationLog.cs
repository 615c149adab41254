using Atlas.Contracts.Moderation;

namespace Atlas.Moderation.Diagnostics;

/// <summary>Moderation's log lines. <see cref="Audit"/> is the SIEM event: one per audit row, fields named and stable.</summary>
public static partial class ModerationLog
{
    [LoggerMessage(EventId = 4000, EventName = "moderation.audit", Level = LogLevel.Information,
        Message = "moderation.audit action_id={ActionId} action={Action} chat_id={ChatId} user_id={UserId} rule={Rule} actor={Actor} until={Until} reasons={Reasons}")]
    public static partial void Audit(
        ILogger logger, Guid actionId, string action, long chatId, long userId, string rule, string actor, DateTimeOffset? until, string reasons);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Event {EventKey} was already decided; its {Actions} actions are published again")]
    public static partial void EventAlreadyHandled(ILogger logger, string eventKey, int actions);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Admin command /{Command} from user {UserId} in chat {ChatId} ignored: {Reason}")]
    public static partial void CommandIgnored(ILogger logger, string command, long userId, long chatId, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "The administrators of chat {ChatId} could not be fetched from the gateway: {Reason}")]
    public static partial void AdminsUnknown(ILogger logger, long chatId, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Banned pattern {Pattern} of chat {ChatId} ran out of time and was skipped")]
    public static partial void PatternTimedOut(ILogger logger, long chatId, string pattern);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Action {ActionId} in chat {ChatId}: Telegram outcome {Outcome}")]
    public static partial void ActionOutcome(ILogger logger, Guid actionId, long chatId, string outcome);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "No LLM spam verdict for a message in chat {ChatId} ({Reason}); the rules decide alone")]
    public static partial void VerdictUnavailable(ILogger logger, long chatId, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Message {MessageId} in chat {ChatId}: {Action} by rule {Rule}")]
    public static partial void Decided(ILogger logger, long messageId, long chatId, ModerationAction action, string rule);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Open appeals could not be counted")]
    public static partial void AppealsNotCounted(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Known-spammer lookup of user {UserId} failed ({Reason}); the rules decide alone")]
    public static partial void CasLookupFailed(ILogger logger, long userId, string reason);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Pruned {Count} processed events older than {Before:o}")]
    public static partial void ProcessedEventsPruned(ILogger logger, long count, DateTimeOffset before);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Could not prune processed events; trying again in {Interval}")]
    public static partial void ProcessedEventsNotPruned(ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "A group of {Count} decisions could not be written together ({Reason}); each is written alone")]
    public static partial void GroupWrittenAlone(ILogger logger, int count, string reason);
}
