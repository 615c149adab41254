using Atlas.Gateway.Commands;
using Atlas.Gateway.Groups;
using Atlas.Gateway.State;

namespace Atlas.Gateway.Handling;

internal static class HandlingExtensions
{
    /// <summary>
    /// The update handler and everything behind it: commands, password gate, inbound rate limits, conversation
    /// state, memberships, admin switches and the bot's command menu.
    /// </summary>
    public static void AddUpdateHandling(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StateOptions>().BindConfiguration(StateOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<RedisGuard>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<MembershipStore>();
        services.AddSingleton<Replies>();
        services.AddSingleton<HandlerRunner>();

        services.AddSingleton<StartCommand>();
        services.AddSingleton<HelpCommand>();
        services.AddSingleton<PrivateMessageRouter>();
        services.AddSingleton<GroupMessageHandler>();
        services.AddSingleton<MembershipHandler>();
        services.AddSingleton<CallbackQueryHandler>();
        services.AddSingleton<IUpdateHandler, UpdateHandler>();
    }
}
