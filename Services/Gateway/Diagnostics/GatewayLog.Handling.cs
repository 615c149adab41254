using Atlas.Contracts.Moderation;
using Atlas.Gateway.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Atlas.Gateway.Diagnostics;

/// <summary>Log lines of the update handling (event ids 2000-2999). User text and secrets never appear here.</summary>
static partial class GatewayLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Update {UpdateId} ({UpdateType}) handled by {Handler}")]
    public static partial void UpdateHandled(ILogger logger, long updateId, string updateType, string handler);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Update {UpdateId} of kind {UpdateType} is not handled by the gateway")]
    public static partial void UpdateUnsupported(ILogger logger, long updateId, string updateType);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Handler {Handler} failed on update {UpdateId}: {Reason}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string handler, long updateId, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Update {UpdateId} from user {UserId} dropped: {Reason}")]
    public static partial void UpdateDropped(ILogger logger, long updateId, long? userId, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Redis is unavailable for {Operation}; degrading: {Reason}")]
    public static partial void RedisUnavailable(ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "The outbox is unavailable (Redis down): reply {IdempotencyKey} to chat {ChatId} is sent directly")]
    public static partial void ReplySentDirectly(ILogger logger, long chatId, string idempotencyKey);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Bus request {Request} for update {UpdateId} got no answer: {Reason}")]
    public static partial void BusRequestUnanswered(ILogger logger, string request, long updateId, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Could not record chat/user/membership for update {UpdateId}: {Reason}")]
    public static partial void MembershipNotRecorded(ILogger logger, long updateId, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Could not answer callback query of update {UpdateId}: {Reason}")]
    public static partial void CallbackNotAnswered(ILogger logger, long updateId, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "User {UserId} passed the password gate")]
    public static partial void PasswordAccepted(ILogger logger, long userId);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "User {UserId} sent a wrong password ({Attempts} of {MaxAttempts} attempts in the window)")]
    public static partial void PasswordRejected(ILogger logger, long userId, long attempts, int maxAttempts);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "User {UserId} is locked out of the password gate")]
    public static partial void PasswordLockedOut(ILogger logger, long userId);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Could not delete the password message {MessageId} in chat {ChatId}: {Reason}")]
    public static partial void PasswordMessageNotDeleted(ILogger logger, long chatId, long messageId, string reason);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Cannot tell whether user {UserId} passed the password gate: {Reason}")]
    public static partial void PasswordGateUnknown(ILogger logger, long userId, string reason);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "User {UserId} is over the {Scope} rate limit (tier {Tier})")]
    public static partial void RateLimited(ILogger logger, long userId, string scope, RateLimitTier tier);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Rate-limit tier set to {Tier} by {By}")]
    public static partial void TierChanged(ILogger logger, string tier, string by);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Inbound {State} by {By}")]
    public static partial void FreezeChanged(ILogger logger, string state, string by);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Moderation action {ActionId} ({Action}) in chat {ChatId}: {Outcome}")]
    public static partial void ModerationExecuted(ILogger logger, Guid actionId, ModerationAction action, long chatId, string outcome);

    [LoggerMessage(EventId = 2033, Level = LogLevel.Information, Message = "Moderation action {ActionId} ({Action}) was executed before ({Outcome}); this delivery does nothing")]
    public static partial void ModerationAlreadyDone(ILogger logger, Guid actionId, ModerationAction action, string outcome);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Error, Message = "Moderation action {ActionId} ({Action}) in chat {ChatId} was refused by Telegram: {Reason}")]
    public static partial void ModerationRefused(ILogger logger, Guid actionId, ModerationAction action, long chatId, string reason);

    [LoggerMessage(EventId = 2034, Level = LogLevel.Information, Message = "Group {FromChatId} became supergroup {ToChatId}: memberships and {MovedMessages} queued messages moved")]
    public static partial void ChatMigrated(ILogger logger, long fromChatId, long toChatId, long movedMessages);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Bot command menus set ({Languages})")]
    public static partial void CommandMenuSet(ILogger logger, string languages);

    [LoggerMessage(EventId = 2050, Level = LogLevel.Information, Message = "Operator input from user {UserId} rejected ({Command}): {Reason}")]
    public static partial void OperatorInputRejected(ILogger logger, long userId, string command, string reason);

    [LoggerMessage(EventId = 2060, Level = LogLevel.Error, Message = "The {Purpose} answer to update {UpdateId} failed outside the chat's turn")]
    public static partial void PendingAnswerFailed(ILogger logger, Exception exception, string purpose, long updateId);

    [LoggerMessage(EventId = 2061, Level = LogLevel.Warning, Message = "The {Purpose} answer to update {UpdateId} was cancelled by the shutdown")]
    public static partial void PendingAnswerStopped(ILogger logger, string purpose, long updateId);

    [LoggerMessage(EventId = 2062, Level = LogLevel.Warning, Message = "Stopping with {Count} answers still waiting for a peer service; they are cancelled")]
    public static partial void PendingAnswersCancelled(ILogger logger, int count);

    [LoggerMessage(EventId = 2063, Level = LogLevel.Information, Message = "The chat answer to update {UpdateId} missed the {Deadline} deadline; the user was told, and a later answer is still delivered")]
    public static partial void AnswerLate(ILogger logger, long updateId, TimeSpan deadline);

    [LoggerMessage(EventId = 2064, Level = LogLevel.Warning, Message = "The answer owed for update {UpdateId} could not be recorded ({Reason}); a crash before it is delivered would lose it")]
    public static partial void AnswerNotRecorded(ILogger logger, long updateId, string reason);

    [LoggerMessage(EventId = 2065, Level = LogLevel.Warning, Message = "The delivered answer to update {UpdateId} could not be struck from the owed answers ({Reason})")]
    public static partial void AnswerNotForgotten(ILogger logger, long updateId, string reason);

    [LoggerMessage(EventId = 2066, Level = LogLevel.Warning, Message = "Looking for answers owed by stopped gateways failed ({Reason}); trying again shortly")]
    public static partial void AnswerSweepFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2067, Level = LogLevel.Warning, Message = "Gateway {Instance} stopped owing {Count} answers; their users are told the answer is not coming")]
    public static partial void AnswersTakenOver(ILogger logger, int count, string instance);

    [LoggerMessage(EventId = 2068, Level = LogLevel.Error, Message = "An owed answer entry for {Field} is unreadable and was dropped")]
    public static partial void AnswerDebtUnreadable(ILogger logger, string field);

    [LoggerMessage(EventId = 2069, Level = LogLevel.Warning, Message = "The bot's own username could not be read (getMe: {Reason}); a group command addressed with @ is taken as this bot's")]
    public static partial void BotIdentityUnknown(ILogger logger, string reason);
}
