using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Client;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Atlas.Gateway.Handling;

/// <summary>
/// The bot's own @username (getMe, asked when first needed and kept), to tell a group command addressed to this bot
/// (<c>/ban@this_bot</c>, or no @ at all) from one for another bot in the same group (<c>/ban@other_bot</c>). While
/// Telegram cannot be asked, every command counts as this bot's, as it did before it was addressed at all.
/// </summary>
public sealed class BotIdentity(TelegramBot telegram, ILogger<BotIdentity> logger)
{
    private volatile string? _username;

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
        try
        {
            return (await telegram.Client().GetMe(cancellationToken).ConfigureAwait(false)).Username;
        }
        catch (Exception exception) when (exception is RequestException or HttpRequestException or TimeoutException)
        {
            GatewayLog.BotIdentityUnknown(logger, exception.GetType().Name);
            return null;
        }
    }
}
