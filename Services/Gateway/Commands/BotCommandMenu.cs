using System.Globalization;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Telegram.Client;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace Atlas.Gateway.Commands;

/// <summary>
/// Sets the bot's command menu (setMyCommands) in English (the default) and in each translation once at start, in
/// the background: while Telegram is unreachable it tries again with growing pauses and never holds up start.
/// </summary>
public sealed class BotCommandMenu(TelegramBot telegram, TimeProvider time, ILogger<BotCommandMenu> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);
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
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await telegram.Client().SetMyCommands(For(BotTexts.CultureFor(null)), cancellationToken: stoppingToken).ConfigureAwait(false);
                foreach (var culture in BotTexts.Translations)
                {
                    await telegram.Client().SetMyCommands(For(culture), languageCode: culture.TwoLetterISOLanguageName, cancellationToken: stoppingToken).ConfigureAwait(false);
                }

                GatewayLog.CommandMenuSet(logger, Languages);
                return;
            }
            catch (Exception exception) when (exception is RequestException or HttpRequestException or TimeoutException)
            {
                GatewayLog.CommandMenuRetry(logger, exception.GetType().Name, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }
}
