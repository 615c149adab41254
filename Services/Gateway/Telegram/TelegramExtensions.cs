using Atlas.Gateway.Telegram.Api;
using Atlas.ServiceDefaults.Health;

namespace Atlas.Gateway.Telegram;

internal static class TelegramExtensions
{
    /// <summary>Telegram options (with the seed aliases), the Bot API client and the <c>telegram</c> readiness entry.</summary>
    public static void AddTelegramBotApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelegramOptions>()
            .BindConfiguration(TelegramOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                options => options.Mode != TelegramMode.Webhook || options.WebhookBaseUrl is not null,
                "Telegram:WebhookBaseUrl (or WEBHOOK_BASE_URL) is required when Telegram:Mode is Webhook.")
            .ValidateOnStart();

        // The shared resilience handler would retry sendMessage blindly (sending twice) and cut long polls at its
        // attempt timeout; the callers of the Bot API own their retries instead.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt out.
        builder.Services.AddHttpClient(TelegramBotClient.HttpClientName)
            .RemoveAllResilienceHandlers()
            .RemoveAllLoggers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<TelegramBotClient>();

        builder.Services.AddSingleton<TelegramReachabilityCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<TelegramReachabilityCheck>("telegram", tags: [HealthTags.Ready], timeout: HealthTags.CheckTimeout);
    }
}
