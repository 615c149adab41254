using System.Net;
using Polly.Timeout;
using Telegram.Bot.Exceptions;

namespace Atlas.Gateway.Telegram.Client;

/// <summary>
/// What a failed Bot API call means for us, read from Telegram.Bot's exceptions in one place:
/// <see cref="ApiRequestException"/> carries Telegram's error_code, description and parameters (retry_after,
/// migrate_to_chat_id); a plain <see cref="RequestException"/> is a call that got no Bot API answer (network, timeout,
/// a proxy's HTML page). Neither message ever holds the request URL, which carries the token.
/// </summary>
public static class TelegramErrors
{
    /// <summary>
    /// Added to every retry_after: Telegram counts in whole seconds and a timer may end a hair early by the wall clock,
    /// so a call landing exactly on the boundary would risk another 429.
    /// </summary>
    public static TimeSpan FloodWaitMargin { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Telegram's error_code, or the HTTP status of an answer that was not Telegram's; null without either.</summary>
    public static int? ErrorCode(this Exception exception) => exception switch
    {
        ApiRequestException api => api.ErrorCode,
        RequestException { HttpStatusCode: { } status } => (int)status,
        _ => null,
    };

    /// <summary>A 429 flood wait.</summary>
    public static bool IsFloodWait(this Exception exception) => exception is ApiRequestException { ErrorCode: 429 };

    /// <summary>The wait Telegram asked for (parameters.retry_after) on a 429, without our margin.</summary>
    public static TimeSpan? RetryAfter(this Exception exception) =>
        exception is ApiRequestException { ErrorCode: 429, Parameters.RetryAfter: { } seconds } ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>How long to wait before calling again after a 429: retry_after plus <see cref="FloodWaitMargin"/>.</summary>
    public static TimeSpan? WaitBeforeRetry(this Exception exception) => exception.RetryAfter() + FloodWaitMargin;

    /// <summary>The supergroup a group was upgraded to (parameters.migrate_to_chat_id), if Telegram named one.</summary>
    public static long? MigrateToChatId(this Exception exception) =>
        exception is ApiRequestException { Parameters.MigrateToChatId: { } chatId } ? chatId : null;

    /// <summary>Another getUpdates poller or an active webhook (409).</summary>
    public static bool IsConflict(this Exception exception) => exception is ApiRequestException { ErrorCode: 409 };

    /// <summary>
    /// Worth trying again as is: a flood wait, a server-side error, a network failure or a timeout. 400/403 are about
    /// the message or the chat and do not get better; 401/404 mean a wrong token or base URL, which only a fix cures.
    /// </summary>
    public static bool IsTransientTelegramFailure(this Exception exception) => exception switch
    {
        ApiRequestException api => api.ErrorCode is 429 or >= 500,
        RequestException { HttpStatusCode: { } status } => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500,
        RequestException => true,
        HttpRequestException or TimeoutException or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>Telegram refused the call for good (a 4xx other than 401, 404 and 429).</summary>
    public static bool IsRefusal(this Exception exception) =>
        exception is ApiRequestException { ErrorCode: >= 400 and < 500 and not (401 or 404 or 429) };

    /// <summary>A short reason for logs and dead letters: "400 Bad Request: chat not found", or the exception's type and message.</summary>
    public static string Describe(this Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is ApiRequestException api ? $"{api.ErrorCode} {api.Message}" : $"{exception.GetType().Name}: {exception.Message}";
    }
}
