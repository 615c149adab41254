using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Telegram.Resilience;
using Atlas.Gateway.Telegram.Token;
using Microsoft.Extensions.Options;
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
            .Validate(
                options => options.ApiBaseUrl.AbsolutePath == "/" && string.IsNullOrEmpty(options.ApiBaseUrl.Query),
                "Telegram:ApiBaseUrl must be a scheme, host and port only (e.g. http://localhost:8081): Telegram.Bot puts /bot<token>/<method> right after it.")
            .Validate(
                options => options.EffectiveAllowedUpdates.All(name => TelegramOptions.UpdateTypeOf(name) is not null),
                "Telegram:AllowedUpdates holds a name that is not a Telegram update type (e.g. message, callback_query, my_chat_member).")
            .ValidateOnStart();

        // The shared resilience handler would retry sendMessage blindly (sending twice), cut long polls at its attempt
        // timeout and retry under TelegramResilience's retries; that pipeline is the only one. No request logging: the URL holds the token.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt out.
        builder.Services.AddHttpClient(TelegramBot.HttpClientName)
            .RemoveAllResilienceHandlers()
            .RemoveAllLoggers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<RotatedTokenFile>();
        builder.Services.AddSingleton(sp => new BotTokenSource(
            sp.GetRequiredService<IOptions<TelegramOptions>>(), sp.GetRequiredService<RotatedTokenFile>(), sp.GetRequiredService<ILogger<BotTokenSource>>()));
        builder.Services.AddSingleton<BotTokenRotation>();
        builder.Services.AddSingleton<TelegramBot>();
        builder.Services.AddOptions<TelegramResilienceOptions>()
            .BindConfiguration(TelegramResilienceOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.BaseDelay <= options.MaxDelay, "Telegram:Resilience:BaseDelay must not exceed MaxDelay.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TelegramResilience>();

        builder.Services.AddSingleton<TelegramReachabilityCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<TelegramReachabilityCheck>("telegram", tags: [HealthTags.Ready], timeout: HealthTags.CheckTimeout);
    }
}
