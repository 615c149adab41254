using System.Text.Json.Serialization;
using Atlas.Sandbox.Camunda;
using Atlas.Sandbox.Elasticsearch;
using Atlas.Sandbox.Llm;
using Atlas.Sandbox.Telegram;
using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Callbacks;
using Atlas.Sandbox.Telegram.Chats;
using Atlas.Sandbox.Telegram.Commands;
using Atlas.Sandbox.Telegram.Limits;
using Atlas.Sandbox.Telegram.Messages;
using Atlas.Sandbox.Telegram.Spec;
using Atlas.Sandbox.Telegram.Updates;
using Atlas.Sandbox.S3;
using Atlas.Sandbox.Telegram.Webhooks;

namespace Atlas.Sandbox.Extensions;

internal static class Extensions
{
    /// <summary>
    /// Everything the Sandbox registers. It needs no Redis, PostgreSQL or RabbitMQ: all state is in memory.
    /// Every Bot API method set is listed here.
    /// </summary>
    public static void AddSandboxServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelegramSandboxOptions>().BindConfiguration(TelegramSandboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SendLimitOptions>().BindConfiguration(SendLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Control API JSON: camelCase (the web default) and absent values left out.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

        services.AddSingleton(_ => BotApiSpec.Load());
        services.AddSingleton<ParameterValidator>();
        services.AddSingleton<BotRegistry>();
        services.AddSingleton<BotApiDispatcher>();
        services.AddSingleton<UpdateInjector>();
        services.AddSingleton<ChatMemberJson>();

        services.AddSingleton<IBotApiMethodSet, BotMethods>();
        services.AddSingleton<IBotApiMethodSet, UpdateMethods>();
        services.AddSingleton<IBotApiMethodSet, WebhookMethods>();
        services.AddSingleton<IBotApiMethodSet, MessageMethods>();
        services.AddSingleton<IBotApiMethodSet, MemberMethods>();
        services.AddSingleton<IBotApiMethodSet, ChatMethods>();
        services.AddSingleton<IBotApiMethodSet, CallbackMethods>();
        services.AddSingleton<IBotApiMethodSet, CommandMethods>();

        services.AddS3Sandbox();
        services.AddSingleton<WebhookDelivery>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDelivery>());
        services.AddHttpClient(WebhookDelivery.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        builder.AddCamundaSandbox();
        services.AddLlmSandbox();
        services.AddElasticsearchSandbox();
        Cas.CasSandbox.AddCasSandbox(services);
    }
}
