namespace Atlas.Sandbox.Telegram.BotApi;

/// <summary>The Sandbox's repeated log lines. None carries a bot token: bots are named by their id.</summary>
internal static partial class SandboxLog
{
    [LoggerMessage(1, LogLevel.Debug, "Bot {BotId} called {Method}: {StatusCode} {Description}")]
    public static partial void BotApiCallFailed(this ILogger logger, long botId, string method, int statusCode, string? description);

    [LoggerMessage(2, LogLevel.Warning, "Bot {BotId} called {Method}, which the spec knows but the Sandbox does not serve")]
    public static partial void MethodNotServed(this ILogger logger, long botId, string method);

    [LoggerMessage(3, LogLevel.Information, "Bot {BotId} webhook delivery of update {UpdateId} failed: {Error}")]
    public static partial void WebhookDeliveryFailed(this ILogger logger, long botId, long updateId, string error);

    [LoggerMessage(4, LogLevel.Information, "Bot {BotId} created ({Username})")]
    public static partial void BotCreated(this ILogger logger, long botId, string username);

    [LoggerMessage(5, LogLevel.Information, "Bot {BotId} forgotten")]
    public static partial void BotRemoved(this ILogger logger, long botId);

    [LoggerMessage(6, LogLevel.Error, "Bot {BotId} webhook worker stopped unexpectedly")]
    public static partial void WebhookWorkerCrashed(this ILogger logger, Exception exception, long botId);

    [LoggerMessage(7, LogLevel.Information, "Bot {BotId} got a new token; the old one is revoked")]
    public static partial void BotTokenRotated(this ILogger logger, long botId);
}
