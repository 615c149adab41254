using Atlas.Gateway.Admin;
using Atlas.Gateway.Commands;
using Atlas.Gateway.Freeze;
using Atlas.Gateway.Groups;
using Atlas.Gateway.Moderation;
using Atlas.Gateway.PasswordGate;
using Atlas.Gateway.RateLimiting;
using Atlas.Gateway.State;
using Atlas.Gateway.Workflow;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Handling;

internal static class HandlingExtensions
{
    /// <summary>
    /// The update handler and everything behind it: commands, password gate, inbound rate limits, conversation
    /// state, memberships, admin switches, moderation actions and the bot's command menu. (The moderation consumer
    /// itself is listed in the AddAtlasBus call.)
    /// </summary>
    public static void AddUpdateHandling(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        AddValidatedOptions<StateOptions>(services, StateOptions.SectionName);
        AddValidatedOptions<RateLimitOptions>(services, RateLimitOptions.SectionName);
        AddValidatedOptions<RequestOptions>(services, RequestOptions.SectionName);
        AddValidatedOptions<FreezeOptions>(services, FreezeOptions.SectionName);
        services.AddOptions<PasswordGateOptions>()
            .Configure<IConfiguration>((options, configuration) => options.Bind(configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PasswordGateOptions>, PasswordGateValidation>();
        // Read now, so that a malformed admin list stops the start with the key to fix.
        services.AddSingleton(AdminOptions.From(builder.Configuration));

        services.AddSingleton<RedisGuard>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<MembershipStore>();
        services.AddSingleton<ChatMigration>();
        services.AddSingleton<AuthorizedUsers>();
        services.AddSingleton<PasswordGatekeeper>();
        services.AddSingleton<InboundControl>();
        services.AddSingleton<HeldUpdateStore>();
        services.AddSingleton<RateLimitTierStore>();
        services.TryAddKeyedSingleton<TimeProvider>(InboundRateLimiter.ClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddSingleton<InboundRateLimiter>();
        services.AddSingleton<Replies>();
        services.AddSingleton<HandlerRunner>();
        services.AddSingleton<BusRequests>();
        services.AddSingleton<ModerationActionExecutor>();

        services.AddSingleton<StartCommand>();
        services.AddSingleton<HelpCommand>();
        services.AddSingleton<GroupsCommand>();
        services.AddSingleton<ResetCommand>();
        services.AddSingleton<SearchCommand>();
        services.AddSingleton<TasksCommand>();
        services.AddSingleton<TaskForms>();
        services.AddSingleton<TaskActions>();
        services.AddSingleton<ParkedWork>();
        services.AddSingleton<WorkflowStartCommand>();
        services.AddSingleton<ConsentCommand>();
        services.AddSingleton<ChatCommand>();
        services.AddSingleton<CommandSet>();
        services.AddSingleton<AdminCommands>();
        services.AddSingleton<PrivateMessageRouter>();
        services.AddSingleton<GroupMessageHandler>();
        services.AddSingleton<BotIdentity>();
        services.AddSingleton<GroupMessageBatch>();
        services.AddSingleton<AnswerJournal>();
        services.AddSingleton<PendingAnswers>();
        services.AddSingleton<MembershipHandler>();
        services.AddSingleton<CallbackQueryHandler>();
        services.AddSingleton<UpdateHandler>();
        services.AddSingleton<IUpdateHandler>(sp => sp.GetRequiredService<UpdateHandler>());

        services.AddHostedService<BotCommandMenu>();
    }

    private static void AddValidatedOptions<T>(IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    // Names the exact configuration problem, with its configuration path.
    private sealed class PasswordGateValidation : IValidateOptions<PasswordGateOptions>
    {
        public ValidateOptionsResult Validate(string? name, PasswordGateOptions options) =>
            options.Validate() is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
    }
}
