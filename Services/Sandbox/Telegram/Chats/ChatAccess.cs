using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Bots;

namespace Atlas.Sandbox.Telegram.Chats;

/// <summary>Finding the chat a call names and checking what the bot may do there, with Telegram's answers. Call under the bot's lock.</summary>
internal static class ChatAccess
{
    /// <summary>
    /// Runs <paramref name="body"/> under the bot's lock for the chat the call's chat_id names. Answers "chat not found"
    /// when there is none and, with <paramref name="mustSend"/>, Telegram's refusal when the bot may not send there.
    /// </summary>
    public static Task<BotApiResult> InChat(BotApiCall call, Func<SandboxBot, SandboxChat, BotApiResult> body, bool mustSend = false)
    {
        var bot = call.Bot;
        lock (bot.Sync)
        {
            var chat = Resolve(bot, call.Parameters["chat_id"], out var error);
            if (chat is not null && mustSend)
            {
                error = CheckCanSend(bot, chat);
            }

            return Task.FromResult(error ?? body(bot, chat!));
        }
    }

    /// <summary>The chat for a chat_id parameter (an id or "@username"), or null with <paramref name="error"/> "chat not found".</summary>
    public static SandboxChat? Resolve(SandboxBot bot, JsonNode? chatId, out BotApiResult? error)
    {
        var chat = chatId switch
        {
            JsonValue value when value.GetValueKind() == JsonValueKind.Number => bot.Chats.Find(value.GetValue<long>()),
            JsonValue value when value.GetValueKind() == JsonValueKind.String => bot.Chats.FindByUsername(value.GetValue<string>()),
            _ => null,
        };
        error = chat switch
        {
            null => BotApiResult.ChatNotFound,
            { MigratedTo: { } supergroupId } => BotApiResult.Migrated(supergroupId),
            _ => null,
        };
        return error is null ? chat : null;
    }

    /// <summary>The bot's own standing in <paramref name="chat"/>; a chat it never heard otherwise about counts it as a member.</summary>
    public static ChatMembership BotMembership(SandboxBot bot, SandboxChat chat) =>
        chat.Members.TryGetValue(bot.Id, out var membership) ? membership : new ChatMembership(ChatMembership.Member);

    /// <summary>Null when the bot may send to <paramref name="chat"/>, otherwise Telegram's 403/400.</summary>
    public static BotApiResult? CheckCanSend(SandboxBot bot, SandboxChat chat)
    {
        if (chat.Type == SandboxChat.Private)
        {
            return chat.BlockedByUser ? BotApiResult.Forbidden("bot was blocked by the user") : null;
        }

        var kind = chat.Type == SandboxChat.Channel ? "channel" : chat.Type + " chat";
        var membership = BotMembership(bot, chat);
        return membership.Status switch
        {
            ChatMembership.Kicked => BotApiResult.Forbidden($"bot was kicked from the {kind}"),
            ChatMembership.Left => BotApiResult.Forbidden($"bot is not a member of the {kind}"),
            ChatMembership.Restricted when !membership.Permissions.Flag("can_send_messages") =>
                BotApiResult.BadRequest("not enough rights to send text messages to the chat"),
            _ when chat.Type == SandboxChat.Channel && !membership.IsAdministrator =>
                BotApiResult.BadRequest("need administrator rights in the channel chat"),
            _ => null,
        };
    }

    /// <summary>Null when the bot is an administrator of <paramref name="chat"/> holding <paramref name="right"/>, otherwise <paramref name="refusal"/>.</summary>
    public static BotApiResult? CheckAdminRight(SandboxBot bot, SandboxChat chat, string right, BotApiResult refusal)
    {
        var membership = BotMembership(bot, chat);
        return membership.Status == ChatMembership.Creator
            || (membership.Status == ChatMembership.Administrator && membership.Permissions.Flag(right, true))
            ? null
            : refusal;
    }
}
