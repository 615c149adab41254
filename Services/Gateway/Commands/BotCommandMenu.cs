using System.Globalization;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Telegram.Resilience;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Atlas.Gateway.Commands;

/// <summary>
/// Sets the bot's command menu (setMyCommands) in English (the default) and in each translation once at start, in
/// the background: while Telegram is unreachable <see cref="TelegramResilience"/> tries again with growing pauses, and
/// start is never held up.
/// </summary>
public sealed class BotCommandMenu(TelegramResilience telegram, ILogger<BotCommandMenu> logger) : BackgroundService
{
    private static readonly string Languages =
        string.Join(", ", BotTexts.Translations.Select(c => c.TwoLetterISOLanguageName).Prepend("default"));

    public static IReadOnlyList<BotCommand> For(CultureInfo culture) =>
    [
        new("start", BotTexts.Get(TextKeys.MenuStart, culture)),
        new("help", BotTexts.Get(TextKeys.MenuHelp, culture)),
        new("groups", BotTexts.Get(TextKeys.MenuGroups, culture)),
        new("reset", BotTexts.Get(TextKeys.MenuReset, culture)),
        new("search", BotTexts.Get(TextKeys.MenuSearch, culture)),
        new("tasks", BotTexts.Get(TextKeys.MenuTasks, culture)),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // One call per language, each through the gateway's pipeline: retried with backoff (and retry_after) until it
            // succeeds or the gateway stops.
            await SetAsync(For(BotTexts.CultureFor(null)), null, stoppingToken).ConfigureAwait(false);
            foreach (var culture in BotTexts.Translations)
            {
                await SetAsync(For(culture), culture.TwoLetterISOLanguageName, stoppingToken).ConfigureAwait(false);
            }

            GatewayLog.CommandMenuSet(logger, Languages);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before Telegram answered; the next start sets the menu.
        }
    }

    private Task SetAsync(IReadOnlyList<BotCommand> commands, string? languageCode, CancellationToken cancellationToken) =>
        telegram.ExecuteAsync(
            "setMyCommands",
            TelegramRetry.UntilStopped,
            (client, ct) => client.SetMyCommands(commands, languageCode: languageCode, cancellationToken: ct),
            cancellationToken);
}
