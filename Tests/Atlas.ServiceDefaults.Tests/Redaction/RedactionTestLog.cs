using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>The log lines the redaction tests write, defined the way services define theirs.</summary>
internal static partial class RedactionTestLog
{
    public const string CallingTemplate = "Calling {Url}";

    private static readonly Func<ILogger, int, string, IDisposable?> WebhookScope =
        LoggerMessage.DefineScope<int, string>("Webhook from {Sender} with {Header}");

    public static IDisposable? BeginWebhookScope(ILogger logger, int sender, string header) =>
        WebhookScope(logger, sender, header);

    [LoggerMessage(Level = LogLevel.Information, Message = CallingTemplate)]
    public static partial void Calling(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = CallingTemplate)]
    public static partial void CallingUri(ILogger logger, Uri url);

    // What an interpolated template amounts to: the secret is part of the template itself.
    [LoggerMessage(Level = LogLevel.Information, Message = "Calling " + TestSecrets.BotUrl)]
    public static partial void CallingHardCodedBotUrl(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} sent {Header} at {At}, retried={Retried}, on {Day}")]
    public static partial void UserSentHeader(ILogger logger, long userId, string header, DateTimeOffset at, bool retried, DayOfWeek day);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Value}")]
    public static partial void Rejected(ILogger logger, string value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting with {Password} after {Url}")]
    public static partial void Connecting(ILogger logger, string password, string url);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call failed")]
    public static partial void CallFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Debugging {Detail}")]
    public static partial void Debugging(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handled")]
    public static partial void Handled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not important")]
    public static partial void NotImportant(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Important")]
    public static partial void Important(ILogger logger);
}
