using Atlas.Workflow.Consumers;
using Atlas.Workflow.Diagnostics;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Jobs;
using Atlas.Workflow.Notifications;
using Atlas.Workflow.Operators;
using Atlas.Workflow.Parked;
using Atlas.Workflow.Processes;

namespace Atlas.Workflow.Extensions;

internal static class Extensions
{
    /// <summary>Everything the workflow service registers; its bus consumers are listed in the AddAtlasBus call.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("workflowdb");
        builder.AddDatabaseMigrations<Program>();
        builder.AddOpsAudit(Apis.WorkflowOps.KeyPath);
        builder.AddRedisClient("redis");
        builder.AddAtlasBus(bus =>
        {
            bus.AddConsumer<UserTasksRequestedConsumer>();
            bus.AddConsumer<ResumeParkedOperationConsumer>();
            bus.AddConsumer<StartAppealReviewConsumer>();
            bus.AddConsumer<CancelAppealReviewConsumer>();
            bus.AddConsumer<ChangeUserTaskConsumer>();
            bus.AddConsumer<ParkedOperationsRequestedConsumer>();
            bus.AddConsumer<ResumeAllParkedOperationsConsumer>();
            bus.AddConsumer<StartProcessInstanceConsumer>();
            bus.AddConsumer<GiveConsentConsumer>();
        });

        builder.AddCamundaClient();

        var services = builder.Services;
        services.AddOptions<ParkedOptions>().BindConfiguration(ParkedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobWorkerOptions>().BindConfiguration(JobWorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<WorkflowMetrics>();
        services.AddSingleton<EngineAvailability>();
        services.AddSingleton<ParkedStore>();
        services.AddSingleton<InstanceTracker>();
        services.AddSingleton<OperationApplier>();
        services.AddSingleton<WorkflowEngine>();
        services.AddSingleton<ModeratorNotifier>();
        services.AddSingleton<UserTaskQueries>();
        services.AddSingleton<OperatorRequests>();
        services.AddSingleton<ProcessCatalog>();

        services.AddSingleton<IJobHandler, SendTelegramMessageJob>();
        services.AddSingleton<IJobHandler, ApplyModerationDecisionJob>();
        services.AddSingleton<IJobHandler, RecordConsentJob>();

        services.AddSingleton<ProcessDeployer>();
        services.AddHostedService(sp => sp.GetRequiredService<ProcessDeployer>());
        services.AddSingleton<ParkedRetryService>();
        services.AddHostedService(sp => sp.GetRequiredService<ParkedRetryService>());
        services.AddHostedService<JobWorkerService>();
        services.AddHostedService<MetricsRefresher>();
    }
}
