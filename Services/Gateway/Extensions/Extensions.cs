using Atlas.Gateway.Commands;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Freeze;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Moderation;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.Telegram;
using Atlas.Gateway.Telegram.Ingest;
using Atlas.ServiceDefaults.Clients;
using MassTransit;

namespace Atlas.Gateway.Extensions;

internal static class Extensions
{
    /// <summary>Everything the gateway service registers; its bus consumers are listed in the AddAtlasBus call.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddGatewayAliases();
        builder.AddNpgsqlDataSource("gatewaydb", configureDataSourceBuilder: PreparedStatements.Enable);
        builder.AddDatabaseMigrations<Program>();
        builder.AddOpsAudit(Apis.AdminApi.KeyPath);
        builder.AddRedisClient("redis");
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<AppealForwarder>();

        builder.AddTelegramBotApi();
        builder.AddUpdateHandling();
        builder.AddOutbound();

        builder.AddAtlasBus(bus =>
        {
            bus.AddConsumer<ModerationActionRequestedConsumer>();
            bus.AddConsumer<ChatAdministratorsRequestedConsumer>();
            bus.AddConsumer<SendTelegramMessageConsumer>();
            bus.AddConsumer<TelegramUpdateBatchConsumer, TelegramUpdateBatchConsumerDefinition>();
        });

        // After the bus, so they stop before it: answers still waiting for a peer, then (below) ingest and polling. The
        // journal of owed answers stops after the answers, so it gives its lease up only once they are settled.
        builder.Services.AddHostedService(services => services.GetRequiredService<AnswerJournal>());
        builder.Services.AddHostedService(services => services.GetRequiredService<PendingAnswers>());
        // After the bus and the migration: replays what a freeze held, and stops before the bus does.
        builder.Services.AddHostedService<HeldUpdateReplayer>();

        // After the bus: hosted services stop in reverse order, so polling stops, then ingest hands over what waits, then the bus stops.
        builder.AddUpdateIngest();
    }
}
