using Atlas.Gateway.Telegram;

namespace Atlas.Gateway.Diagnostics;

/// <summary>Bot token log lines (event ids 4000-4099). A token is never logged: the bot id names the bot.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(4000, LogLevel.Warning, "Bot token of bot {BotId} rotated; receivers restarted in {Mode} mode (kept for restarts: {Kept})")]
    public static partial void TokenRotated(ILogger logger, long? botId, TelegramMode mode, bool kept);

    [LoggerMessage(4001, LogLevel.Warning, "A new bot token for bot {BotId} was not taken: {Reason}; the gateway keeps its token")]
    public static partial void TokenRotationRejected(ILogger logger, long? botId, string reason);

    [LoggerMessage(4002, LogLevel.Information, "Using the bot token rotated in for bot {BotId} (Telegram:RotatedTokenFile), not the configured one it replaced")]
    public static partial void RotatedTokenInUse(ILogger logger, long? botId);

    [LoggerMessage(4003, LogLevel.Error, "Telegram:RotatedTokenFile could not be read ({Reason}); the configured bot token is used")]
    public static partial void RotatedTokenUnreadable(ILogger logger, string reason);

    [LoggerMessage(4004, LogLevel.Warning, "Telegram refused the bot token (401) sending message {IdempotencyKey} to chat {ChatId}; it stays queued and is tried again in {Delay} (rotate the token if it was revoked)")]
    public static partial void OutboundUnauthorized(ILogger logger, long chatId, string idempotencyKey, TimeSpan delay);
}
