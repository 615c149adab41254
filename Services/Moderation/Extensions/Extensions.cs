using Atlas.Contracts.Llm;
using Atlas.Contracts.Moderation;
using Atlas.Moderation.Admins;
using Atlas.Moderation.Appeals;
using Atlas.Moderation.Audit;
using Atlas.Moderation.Cas;
using Atlas.Moderation.Commands;
using Atlas.Moderation.Consumers;
using Atlas.Moderation.Decisions;
using Atlas.Moderation.Diagnostics;
using Atlas.Moderation.Rules;
using Atlas.Moderation.Settings;
using Atlas.Moderation.Verdicts;
using Atlas.ServiceDefaults.Clients;
using MassTransit;

namespace Atlas.Moderation.Extensions;

internal static class Extensions
{
    /// <summary>Everything the moderation service registers; its bus consumers are listed in the AddAtlasBus call.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("moderationdb", configureDataSourceBuilder: PreparedStatements.Enable);
        builder.AddDatabaseMigrations<Program>();
        builder.AddOpsAudit("Moderation:OpsApiKey");
        builder.AddRedisClient("redis");
        builder.Services.AddOptions<ModerationOptions>().BindConfiguration(ModerationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ModerationMetrics>();

        builder.Services.AddSingleton<ChatSettingsStore>();
        builder.Services.AddSingleton<ChatAdminDirectory>();
        builder.Services.AddSingleton<ActivityTracker>();
        builder.Services.AddSingleton<WordFilter>();
        builder.Services.AddSingleton<MessageRules>();
        builder.Services.AddSingleton<Warnings>();
        builder.Services.AddSingleton<DecisionWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DecisionWriter>());
        builder.Services.AddSingleton<ModerationSessions>();
        builder.Services.AddSingleton<MemberFactsStore>();
        builder.Services.AddSingleton<MessageJudge>();
        builder.Services.AddSingleton<VerdictCache>();
        builder.Services.AddSingleton<SpamVerdicts>();
        builder.Services.AddOptions<CasOptions>().BindConfiguration(CasOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<CasLookup>();
        builder.Services.AddSingleton<AdminCommands>();
        builder.Services.AddSingleton<SettingsCommands>();
        builder.Services.AddSingleton<AppealCommands>();
        builder.Services.AddSingleton<AppealIntake>();
        builder.Services.AddSingleton<AuditReader>();
        builder.Services.AddSingleton<AppealsGauge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AppealsGauge>());
        builder.Services.AddSingleton<ProcessedEventsPruner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProcessedEventsPruner>());

        builder.AddAtlasBus(bus =>
        {
            bus.AddConsumer<MessagePostedConsumer, TransientRetryDefinition<MessagePostedConsumer>>();
            bus.AddConsumer<MemberJoinedConsumer, TransientRetryDefinition<MemberJoinedConsumer>>();
            bus.AddConsumer<AppealSubmittedConsumer, TransientRetryDefinition<AppealSubmittedConsumer>>();
            bus.AddConsumer<AppealReviewedConsumer, TransientRetryDefinition<AppealReviewedConsumer>>();
            bus.AddConsumer<ModerationActionExecutedConsumer, TransientRetryDefinition<ModerationActionExecutedConsumer>>();
        });
    }
}
