using Atlas.Sandbox.Telegram.BotApi;

namespace Atlas.Sandbox.Telegram.Bots;

/// <summary>getMe: the bot as a User object, with the capability flags Telegram adds for the bot itself.</summary>
internal sealed class BotMethods : IBotApiMethodSet
{
    public IEnumerable<BotApiMethod> Methods => [new("getMe", GetMeAsync)];

    private static Task<BotApiResult> GetMeAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        var me = call.Bot.ToUser();
        me["can_join_groups"] = true;
        me["can_read_all_group_messages"] = false;
        me["supports_inline_queries"] = false;
        me["can_connect_to_business"] = false;
        me["has_main_web_app"] = false;
        return Task.FromResult(BotApiResult.Success(me));
    }
}
