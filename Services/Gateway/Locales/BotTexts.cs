using System.Globalization;
using System.Resources;

[assembly: NeutralResourcesLanguage("en")]

namespace Atlas.Gateway.Locales;

/// <summary>
/// Every user-facing text of the bot, from <c>Resources/Messages.resx</c> (English, the fallback) and its
/// translations (<c>Messages.ru.resx</c>), chosen by the user's Telegram <c>language_code</c>.
/// </summary>
public static class BotTexts
{
    private static readonly ResourceManager Resources = new("Atlas.Gateway.Resources.Messages", typeof(BotTexts).Assembly);
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru");

    /// <summary>The languages the bot speaks besides the English fallback (their setMyCommands menus too).</summary>
    public static IReadOnlyList<CultureInfo> Translations { get; } = [Russian];

    /// <summary>The culture for a Telegram <c>language_code</c> (<c>ru</c>, <c>ru-RU</c>, <c>en</c>, null ...): Russian or the English fallback.</summary>
    public static CultureInfo CultureFor(string? languageCode) =>
        languageCode is { Length: >= 2 } code && code.StartsWith("ru", StringComparison.OrdinalIgnoreCase) ? Russian : English;

    /// <summary>The text <paramref name="key"/> (one of <see cref="TextKeys"/>) in <paramref name="culture"/>.</summary>
    public static string Get(string key, CultureInfo culture) =>
        Resources.GetString(key, culture) ?? throw new InvalidOperationException($"The bot text '{key}' is missing from Resources/Messages.resx.");

    /// <summary>The text <paramref name="key"/> with its placeholders filled.</summary>
    public static string Format(string key, CultureInfo culture, params object?[] arguments) =>
        string.Format(culture, Get(key, culture), arguments);
}
