using Atlas.LlmRouter.Consumers;
using Atlas.LlmRouter.Conversation;
using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Knowledge;
using Atlas.LlmRouter.Knowledge.Elasticsearch;
using Atlas.LlmRouter.Providers;
using Atlas.LlmRouter.Routing;
using Atlas.LlmRouter.Verdicts;
using MassTransit;
using OpenTelemetry.Trace;

namespace Atlas.LlmRouter.Extensions;

internal static class Extensions
{
    /// <summary>Everything the llmrouter service registers; its bus consumers are listed in the AddAtlasBus call.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("llmdb", configureDataSourceBuilder: dataSource => KnowledgePool.Bound(dataSource, builder.Configuration));
        builder.AddDatabaseMigrations<Program>();
        builder.AddOpsAudit(Apis.AdminApi.KeyPath);
        builder.AddRedisClient("redis");
        builder.AddAtlasBus(bus =>
        {
            bus.AddConsumer<ChatCompletionRequestedConsumer, ChatCompletionRequestedConsumerDefinition>();
            bus.AddConsumer<KnowledgeSearchRequestedConsumer, KnowledgeSearchRequestedConsumerDefinition>();
            bus.AddConsumer<AddKnowledgeDocumentsConsumer, AddKnowledgeDocumentsConsumerDefinition>();
            bus.AddConsumer<SpamVerdictRequestedConsumer, SpamVerdictRequestedConsumerDefinition>();
        });

        var services = builder.Services;
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GroundingOptions>().BindConfiguration(GroundingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OllamaOptions>().BindConfiguration(OllamaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OpenAiOptions>().BindConfiguration(OpenAiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetryOptions>().BindConfiguration(RetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CircuitOptions>().BindConfiguration(CircuitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ContextOptions>().BindConfiguration(ContextOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Routing: providers, their health and calls, and what the router keeps in Redis.
        services.AddSingleton<ProviderCatalog>();
        services.AddSingleton<ProviderHealth>();
        services.AddSingleton<ProviderCaller>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<ResponseCache>();
        services.AddSingleton<UserQuotas>();
        services.AddSingleton<RouterMemory>();
        services.AddSingleton<RateLimitSwitch>();
        services.AddSingleton<GroundingSearch>();
        services.AddSingleton<ChatRouter>();
        services.AddSingleton<ReplyLedger>();
        services.AddSingleton<SpamClassifier>();
        services.AddSingleton<LlmRouterMetrics>();

        // Knowledge base: PostgreSQL full-text search, or Elasticsearch when its connection string is set.
        if (builder.Configuration.GetConnectionString("elasticsearch") is { Length: > 0 } elasticsearch)
        {
            services.AddElasticsearchKnowledgeStore(elasticsearch);
        }
        else
        {
            services.AddSingleton<IKnowledgeStore, PostgresKnowledgeStore>();
        }

        services.AddSingleton<KnowledgeIngestor>();
        services.AddSingleton<RetentionSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<RetentionSweeper>());

        // GenAI spans of the model calls (Atlas.* sources are exported by the service defaults; this names it explicitly).
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(ProviderCatalog.GenAiSource));
    }
}
