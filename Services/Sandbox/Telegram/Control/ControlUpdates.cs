using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Chats;

namespace Atlas.Sandbox.Telegram.Control;

/// <summary>Builds the Telegram updates behind the control API's conveniences (a user writes, presses a button, joins, leaves).</summary>
internal static class ControlUpdates
{
    public static JsonObject User(long userId, string? firstName, string? username, string? languageCode) =>
        new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = string.IsNullOrWhiteSpace(firstName) ? $"User {userId}" : firstName }
            .SetText("username", username?.TrimStart('@'))
            .SetText("language_code", languageCode);

    /// <summary>The Chat object for a private chat with <paramref name="user"/> or a group with <paramref name="title"/>.</summary>
    public static JsonObject Chat(long chatId, string chatType, string? title, JsonObject user) =>
        chatType == SandboxChat.Private
            ? new JsonObject { ["id"] = chatId, ["type"] = chatType }
                .SetText("first_name", user.Text("first_name"))
                .SetText("username", user.Text("username"))
            : new JsonObject { ["id"] = chatId, ["type"] = chatType, ["title"] = string.IsNullOrWhiteSpace(title) ? $"Sandbox {chatType} {chatId}" : title };

    /// <summary>A message update; a text starting with "/" gets its bot_command entity, as Telegram adds it.</summary>
    public static JsonObject TextMessage(JsonObject user, JsonObject chat, string text, JsonObject? replyTo)
    {
        var message = new JsonObject { ["from"] = user, ["chat"] = chat, ["text"] = text }.Set("reply_to_message", replyTo);
        if (text.StartsWith('/'))
        {
            var end = text.IndexOfAny([' ', '\n', '\t']);
            message["entities"] = new JsonArray(new JsonObject
            {
                ["offset"] = 0,
                ["length"] = end < 0 ? text.Length : end,
                ["type"] = "bot_command",
            });
        }

        return new JsonObject { ["message"] = message };
    }

    public static JsonObject CallbackQuery(JsonObject user, JsonObject message, string? data) =>
        new()
        {
            ["callback_query"] = new JsonObject { ["from"] = user, ["message"] = message }.SetText("data", data),
        };

    /// <summary>The service message of a join or leave.</summary>
    public static JsonObject MemberMessage(JsonObject user, JsonObject chat, bool joined) =>
        new()
        {
            ["message"] = joined
                ? new JsonObject { ["from"] = user.Copy(), ["chat"] = chat.Copy(), ["new_chat_members"] = new JsonArray(user.Copy()) }
                : new JsonObject { ["from"] = user.Copy(), ["chat"] = chat.Copy(), ["left_chat_member"] = user.Copy() },
        };

    /// <summary>The chat_member update of a join or leave (my_chat_member when the user is the bot itself).</summary>
    public static JsonObject MemberChange(SandboxBot bot, JsonObject user, JsonObject chat, bool joined, long date)
    {
        var isBot = user.Long("id") == bot.Id;
        var (before, after) = joined ? (ChatMembership.Left, ChatMembership.Member) : (ChatMembership.Member, ChatMembership.Left);
        return new JsonObject
        {
            [isBot ? "my_chat_member" : "chat_member"] = new JsonObject
            {
                ["chat"] = chat.Copy(),
                ["from"] = user.Copy(),
                ["date"] = date,
                ["old_chat_member"] = new JsonObject { ["status"] = before, ["user"] = user.Copy() },
                ["new_chat_member"] = new JsonObject { ["status"] = after, ["user"] = user.Copy() },
            },
        };
    }
}
