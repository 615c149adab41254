using Atlas.Gateway.Telegram.Mode;
using Atlas.Gateway.Telegram.Polling;
using Atlas.Gateway.Telegram.Webhook;

namespace Atlas.Gateway.Telegram.Ingest;

internal static class IngestExtensions
{
    /// <summary>
    /// How updates arrive: the shared ingest door (group commit), deduplication, the webhook's helpers, the poller's offset store
    /// and the mode coordinator. Call after <c>AddAtlasBus</c>: hosted services stop in reverse order, so the poller
    /// then stops (handing its last batch to the bus) before the bus does. The consumer is listed in AddAtlasBus.
    /// </summary>
    public static void AddUpdateIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<UpdateDeduplicator>();
        builder.Services.AddSingleton<IngestDrain>();
        builder.Services.AddSingleton<IngestRetry>();
        builder.Services.AddSingleton<ChatSequencer>();
        builder.Services.AddSingleton<HandlerSlots>();
        builder.Services.AddSingleton<UpdateIngest>();
        // Before the mode coordinator: it stops first (the poller's last batch still gets in), ingest after it.
        builder.Services.AddHostedService(services => services.GetRequiredService<UpdateIngest>());
        builder.Services.AddSingleton<WebhookSecret>();
        builder.Services.AddSingleton<WebhookRegistrar>();
        builder.Services.AddSingleton<PollingOffsetStore>();
        builder.Services.AddSingleton<TelegramModeStore>();
        builder.Services.AddSingleton<TelegramModeCoordinator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TelegramModeCoordinator>());
    }
}
