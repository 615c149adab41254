using Microsoft.Extensions.Configuration;

namespace Atlas.Gateway.Telegram;

/// <summary>
/// The seed bot's environment names (<c>BOT_TOKEN</c>, <c>USE_WEBHOOK</c>, ...) accepted as aliases of our keys.
/// An alias only fills a key that is not set under its own name, so <c>Telegram__BotToken</c> always wins.
/// </summary>
internal static class ConfigurationAliases
{
    private static readonly (string Alias, string Key)[] Plain =
    [
        ("BOT_TOKEN", "Telegram:BotToken"),
        ("WEBHOOK_BASE_URL", "Telegram:WebhookBaseUrl"),
        ("WEBHOOK_SECRET", "Telegram:WebhookSecret"),
        ("LUKA_PASSWORD_ENABLED", "Gateway:PasswordGate:Enabled"),
        ("LUKA_PASSWORD", "Gateway:PasswordGate:Password"),
        ("RATE_LIMIT", "Gateway:RateLimits:Tier"),
    ];

    /// <summary>Adds a source that maps the aliases present in <paramref name="configuration"/> onto our keys.</summary>
    public static void AddGatewayAliases(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var mapped = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (alias, key) in Plain)
        {
            var value = configuration[alias];
            if (!string.IsNullOrWhiteSpace(value) && string.IsNullOrWhiteSpace(configuration[key]))
            {
                mapped[key] = value;
            }
        }

        if (string.IsNullOrWhiteSpace(configuration["Telegram:Mode"]) && ModeFromAliases(configuration) is { } mode)
        {
            mapped["Telegram:Mode"] = mode.ToString();
        }

        if (mapped.Count > 0)
        {
            configuration.AddInMemoryCollection(mapped);
        }
    }

    // RUN_MODE names the mode ("webhook"/"polling"); USE_WEBHOOK is a flag. RUN_MODE wins when both are set.
    private static TelegramMode? ModeFromAliases(IConfiguration configuration)
    {
        if (Enum.TryParse<TelegramMode>(configuration["RUN_MODE"], ignoreCase: true, out var named))
        {
            return named;
        }

        return configuration["USE_WEBHOOK"]?.Trim().ToUpperInvariant() switch
        {
            "1" or "TRUE" or "YES" or "ON" => TelegramMode.Webhook,
            "0" or "FALSE" or "NO" or "OFF" => TelegramMode.Polling,
            _ => null,
        };
    }
}
