using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Client;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Atlas.Gateway.Handling;

/// <summary>
/// The bot's own @username (from the readiness check's getMe, else asked when first needed; then kept), to tell a group command addressed to this bot
/// (<c>/ban@this_bot</c>, or no @ at all) from one for another bot in the same group (<c>/ban@other_bot</c>). While
/// Telegram cannot be asked (getMe within <see cref="AskTimeout"/>, again after <see cref="RetryAfterFailure"/>),
/// every command counts as this bot's.
/// </summary>
public sealed class BotIdentity(TelegramBot telegram, TimeProvider time, ILogger<BotIdentity> logger)
{
    /// <summary>How long getMe may take here: the question holds up the chat's turn.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    /// <summary>After a failed getMe, how long commands count as this bot's before Telegram is asked again.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private volatile string? _username;
    private long _nextAskTicks;

    /// <summary>Keeps the name getMe answered elsewhere (the readiness check asks it anyway), so no chat waits for it.</summary>
    public void Remember(string? username)
    {
        if (!string.IsNullOrEmpty(username))
        {
            _username = username;
        }
    }

    /// <summary>True when <paramref name="addressee"/> (the name after the command's @) is known not to be this bot.</summary>
    public async Task<bool> IsAnotherBotAsync(string? addressee, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(addressee))
        {
            return false;
        }

        var mine = _username ??= await AskAsync(cancellationToken).ConfigureAwait(false);
        return mine is not null && !string.Equals(mine, addressee, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string?> AskAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (now < Interlocked.Read(ref _nextAskTicks))
        {
            return null;
        }

        try
        {
            return (await telegram.Client(AskTimeout).GetMe(cancellationToken).ConfigureAwait(false)).Username;
        }
        catch (Exception exception) when (exception is RequestException or HttpRequestException or TimeoutException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Telegram away: commands count as this bot's, and the chats are not held up asking again for a while.
            Interlocked.Exchange(ref _nextAskTicks, now + RetryAfterFailure.Ticks);
            GatewayLog.BotIdentityUnknown(logger, exception.GetType().Name);
            return null;
        }
    }
}
