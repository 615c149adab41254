using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Control;

/// <summary>POST /sandbox/telegram/bots. Without a token one of Telegram's shape is made up.</summary>
internal sealed record CreateBotRequest(string? Token, string? Username, string? FirstName);

/// <summary>POST /sandbox/telegram/bots/{token}/token: revoke the token; without one a new token for the same bot id is made up.</summary>
internal sealed record RotateTokenRequest(string? Token);

/// <summary>A bot as the control API shows it.</summary>
internal sealed record BotInfo(long Id, string Token, string Username, string FirstName);

/// <summary>POST .../messages: a user writes in a chat. A private chat's id defaults to the user's.</summary>
internal sealed record UserMessageRequest(
    long? ChatId,
    string? ChatType,
    string? ChatTitle,
    long UserId,
    string? FirstName,
    string? Username,
    string? LanguageCode,
    string? Text,
    long? ReplyToMessageId);

/// <summary>The update a user message became.</summary>
internal sealed record InjectedMessage(long UpdateId, long MessageId, JsonObject Update);

/// <summary>POST .../callback-queries: a user presses an inline button under a message.</summary>
internal sealed record CallbackQueryRequest(long ChatId, long UserId, long MessageId, string? Data, string? FirstName, string? Username, string? LanguageCode);

/// <summary>The update a button press became.</summary>
internal sealed record InjectedCallbackQuery(long UpdateId, string CallbackQueryId, JsonObject Update);

/// <summary>POST .../members: a user joins or leaves a group.</summary>
internal sealed record MemberEventRequest(long ChatId, string? ChatType, string? ChatTitle, long UserId, string? FirstName, string? Username, string? Event);

/// <summary>
/// The service message update (new_chat_members / left_chat_member) and the chat_member update (my_chat_member when the
/// user is the bot) a join or leave became. The second is not queued unless the bot's allowed_updates lists it.
/// </summary>
internal sealed record InjectedMemberEvent(long UpdateId, long MessageId, JsonObject Update, long ChatMemberUpdateId, JsonObject ChatMemberUpdate);

/// <summary>PUT .../chats/{chatId}/members/{userId}. The chat is created when unknown (type from chatType or the id's sign).</summary>
internal sealed record MemberStatusRequest(
    string? Status,
    string? ChatType,
    string? ChatTitle,
    string? FirstName,
    string? Username,
    JsonObject? Permissions,
    long? UntilDate);

/// <summary>PUT .../chats/{chatId}/blocked.</summary>
internal sealed record BlockedRequest(bool Blocked);

/// <summary>PUT .../chats/{chatId}: makes a chat known without an update.</summary>
internal sealed record ChatRequest(string? Type, string? Title, string? Username, string? FirstName);
