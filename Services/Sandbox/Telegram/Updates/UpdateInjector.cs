using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Chats;

namespace Atlas.Sandbox.Telegram.Updates;

/// <summary>
/// Takes an update from outside (the control API) as if Telegram had received it: fills in a missing message_id,
/// date or callback query id, learns the chats and users it mentions, keeps user messages in the chat history, and
/// queues it for getUpdates or the webhook. Anything else in the update is left exactly as given.
/// </summary>
internal sealed class UpdateInjector(TimeProvider time)
{
    private static readonly string[] NewMessageKinds = ["message", "channel_post", "business_message"];
    private static readonly string[] EditedMessageKinds = ["edited_message", "edited_channel_post", "edited_business_message"];
    private static readonly string[] MemberKinds = ["my_chat_member", "chat_member"];

    /// <summary>Numbers and queues <paramref name="update"/> (a copy is kept); returns the stored update.</summary>
    public JsonObject Inject(SandboxBot bot, JsonObject update)
    {
        var copy = update.Copy();
        lock (bot.Sync)
        {
            foreach (var kind in NewMessageKinds)
            {
                if (copy[kind] is JsonObject message)
                {
                    LearnMessage(bot, message, isEdit: false);
                }
            }

            foreach (var kind in EditedMessageKinds)
            {
                if (copy[kind] is JsonObject message)
                {
                    LearnMessage(bot, message, isEdit: true);
                }
            }

            if (copy["callback_query"] is JsonObject query)
            {
                LearnCallbackQuery(bot, query);
            }

            foreach (var kind in MemberKinds)
            {
                if (copy[kind] is JsonObject change)
                {
                    LearnMemberChange(bot, change);
                }
            }

            var (numbered, queued) = bot.Updates.Add(copy);
            if (queued)
            {
                bot.NotifyChanged();
            }

            return numbered.Copy();
        }
    }

    private SandboxChat? LearnChat(SandboxBot bot, JsonObject holder)
    {
        if (holder["chat"] is not JsonObject chatJson || chatJson.Long("id") is not { } chatId)
        {
            return null;
        }

        chatJson["type"] ??= chatId > 0 ? SandboxChat.Private : SandboxChat.Supergroup;
        holder["date"] ??= time.UnixTime();
        return bot.Chats.Learn(chatJson);
    }

    private void LearnMessage(SandboxBot bot, JsonObject message, bool isEdit)
    {
        var chat = LearnChat(bot, message);
        if (chat is null)
        {
            return;
        }

        var from = message.Object("from");
        if (from is not null)
        {
            bot.Chats.LearnUser(from);
            if (chat.IsGroup && from.Long("id") is { } fromId && !chat.MembershipOf(fromId).IsPresent)
            {
                chat.MembershipOf(fromId).Status = ChatMembership.Member;
            }
        }

        if (message["new_chat_members"] is JsonArray joined)
        {
            foreach (var user in joined.OfType<JsonObject>())
            {
                SetStatus(bot, chat, user, ChatMembership.Member);
            }
        }

        if (message.Object("left_chat_member") is { } left)
        {
            SetStatus(bot, chat, left, ChatMembership.Left);
        }

        if (isEdit)
        {
            message["edit_date"] ??= time.UnixTime();
            if (message.Long("message_id") is { } editedId && chat.Find(editedId) is { } stored)
            {
                stored.Json = message.Copy();
                stored.Edited = true;
            }

            return;
        }

        var messageId = message.Long("message_id") ?? chat.TakeMessageId();
        message["message_id"] = messageId;
        InTelegramOrder(message);
        chat.Record(messageId, message.Copy(), fromBot: from.Long("id") == bot.Id);
    }

    private void LearnCallbackQuery(SandboxBot bot, JsonObject query)
    {
        query["id"] ??= NewCallbackQueryId();
        if (query.Object("from") is { } from)
        {
            bot.Chats.LearnUser(from);
        }

        if (query.Object("message") is { } message && LearnChat(bot, message) is { } chat)
        {
            query["chat_instance"] ??= ((ulong)chat.Id.GetHashCode()).ToString(CultureInfo.InvariantCulture);
        }

        bot.OpenCallbackQueries[query["id"]!.ToString()] = query.Object("from").Long("id") ?? 0;
    }

    private void LearnMemberChange(SandboxBot bot, JsonObject change)
    {
        var chat = LearnChat(bot, change);
        if (change.Object("from") is { } from)
        {
            bot.Chats.LearnUser(from);
        }

        if (chat is not null && change.Object("new_chat_member") is { } member && member.Object("user") is { } user)
        {
            SetStatus(bot, chat, user, member.Text("status") ?? ChatMembership.Member);
        }
    }

    private static void SetStatus(SandboxBot bot, SandboxChat chat, JsonObject user, string status)
    {
        bot.Chats.LearnUser(user);
        if (user.Long("id") is { } userId)
        {
            chat.MembershipOf(userId).Status = status;
        }
    }

    /// <summary>Puts message_id, from, chat and date first, where Telegram writes them; the rest keeps its order.</summary>
    private static void InTelegramOrder(JsonObject message)
    {
        var fields = message.ToList();
        message.Clear();
        foreach (var name in (string[])["message_id", "from", "sender_chat", "chat", "date"])
        {
            if (fields.FirstOrDefault(f => f.Key == name) is { Key: not null } field)
            {
                message[name] = field.Value;
            }
        }

        foreach (var (name, value) in fields.Where(f => !message.ContainsKey(f.Key)))
        {
            message[name] = value;
        }
    }

    /// <summary>A callback query id in Telegram's style: a long decimal number.</summary>
    public static string NewCallbackQueryId() =>
        ((ulong)RandomNumberGenerator.GetInt32(1, int.MaxValue) << 31 | (uint)RandomNumberGenerator.GetInt32(int.MaxValue)).ToString(CultureInfo.InvariantCulture);
}
