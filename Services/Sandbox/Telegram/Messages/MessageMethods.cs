using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Chats;

namespace Atlas.Sandbox.Telegram.Messages;

/// <summary>
/// sendMessage, editMessageText, deleteMessage and sendChatAction against the chats the bot knows, with Telegram's
/// checks (chat known, bot not blocked or removed, text not empty nor over 4096) and answers. Only sendMessage counts
/// toward the flood limits: Telegram's limits are on messages sent, so edits and deletes (moderation's fast path) are free.
/// </summary>
internal sealed class MessageMethods(TimeProvider time) : IBotApiMethodSet
{
    private static readonly HashSet<string> ChatActions =
    [
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    ];

    public IEnumerable<BotApiMethod> Methods =>
    [
        new("sendMessage", SendMessageAsync),
        new("editMessageText", EditMessageTextAsync),
        new("deleteMessage", DeleteMessageAsync),
        new("sendChatAction", SendChatActionAsync),
    ];

    private Task<BotApiResult> SendMessageAsync(BotApiCall call, CancellationToken cancellationToken) =>
        ChatAccess.InChat(call, (bot, chat) =>
        {
            if (Format(call, out var text, out var entities) is { } formatError)
            {
                return formatError;
            }

            var replyTo = ReplyTarget(call, chat, out var replyError);
            if (replyError is not null)
            {
                return replyError;
            }

            var retryAfter = bot.Limits.TryAcquire(chat.Id, chat.IsGroup, time.GetUtcNow());
            if (retryAfter > 0)
            {
                return BotApiResult.TooManyRequests(retryAfter);
            }

            var messageId = chat.TakeMessageId();
            var message = new JsonObject
            {
                ["message_id"] = messageId,
                ["from"] = bot.ToUser(),
                ["chat"] = chat.ToJson(),
                ["date"] = time.UnixTime(),
            };
            message.Set("message_thread_id", call.Parameters["message_thread_id"]?.DeepClone())
                .Set("reply_to_message", replyTo)
                .Set("text", text)
                .Set("entities", entities)
                .Set("reply_markup", InlineMarkup(call));
            chat.Record(messageId, message, fromBot: true);
            return BotApiResult.Success(message.Copy());
        }, mustSend: true);

    private Task<BotApiResult> EditMessageTextAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        if (call.Text("inline_message_id") is not null)
        {
            return Answer(BotApiResult.BadRequest("MESSAGE_ID_INVALID"));
        }

        if (call.Parameters["chat_id"] is null)
        {
            return Answer(BotApiResult.BadRequest("chat_id is empty"));
        }

        if (call.Long("message_id") is not { } messageId)
        {
            return Answer(BotApiResult.BadRequest("message identifier is not specified"));
        }

        return ChatAccess.InChat(call, (_, chat) =>
        {
            if (Format(call, out var text, out var entities) is { } formatError)
            {
                return formatError;
            }

            var stored = chat.Find(messageId);
            if (stored is null)
            {
                return BotApiResult.BadRequest("message to edit not found");
            }

            if (!stored.FromBot)
            {
                return BotApiResult.BadRequest("message can't be edited");
            }

            var markup = InlineMarkup(call);
            if (stored.Json.Text("text") == text
                && JsonNode.DeepEquals(stored.Json["entities"], entities)
                && JsonNode.DeepEquals(stored.Json["reply_markup"], markup))
            {
                return BotApiResult.BadRequest(
                    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
            }

            var edited = stored.Json.Copy();
            edited["text"] = text;
            edited.Remove("entities");
            edited.Remove("reply_markup");
            edited.Set("entities", entities).Set("reply_markup", markup);
            edited["edit_date"] = time.UnixTime();
            stored.Json = edited;
            stored.Edited = true;
            return BotApiResult.Success(edited.Copy());
        });
    }

    private static Task<BotApiResult> DeleteMessageAsync(BotApiCall call, CancellationToken cancellationToken) =>
        ChatAccess.InChat(call, (bot, chat) =>
        {
            var stored = chat.Find(call.Long("message_id") ?? 0);
            if (stored is null)
            {
                return BotApiResult.BadRequest("message to delete not found");
            }

            if (!stored.FromBot && chat.Type != SandboxChat.Private
                && ChatAccess.CheckAdminRight(bot, chat, "can_delete_messages", BotApiResult.BadRequest("message can't be deleted")) is { } refusal)
            {
                return refusal;
            }

            stored.Deleted = true;
            return BotApiResult.True();
        });

    private static Task<BotApiResult> SendChatActionAsync(BotApiCall call, CancellationToken cancellationToken) =>
        ChatAccess.InChat(
            call,
            (_, _) => ChatActions.Contains(call.Text("action") ?? "")
                ? BotApiResult.True()
                : BotApiResult.BadRequest("wrong parameter action in request"),
            mustSend: true);

    /// <summary>The stored text and entities of the call's text, or Telegram's 400 when it is empty, too long or malformed.</summary>
    private static BotApiResult? Format(BotApiCall call, out string text, out JsonArray? entities)
    {
        var raw = call.Text("text");
        text = raw ?? "";
        entities = null;
        if (MessageFormatting.IsEmpty(raw))
        {
            return BotApiResult.BadRequest("message text is empty");
        }

        var problem = MessageFormatting.TryFormat(raw!, call.Text("parse_mode"), call.Parameters["entities"] as JsonArray, out text, out entities);
        if (problem is not null)
        {
            return BotApiResult.BadRequest(problem);
        }

        if (MessageFormatting.IsEmpty(text))
        {
            return BotApiResult.BadRequest("message text is empty");
        }

        return text.Length > MessageFormatting.MaxTextLength ? BotApiResult.BadRequest("message is too long") : null;
    }

    /// <summary>The message replied to (reply_parameters, or the older reply_to_message_id), or an error when it is missing.</summary>
    private static JsonObject? ReplyTarget(BotApiCall call, SandboxChat chat, out BotApiResult? error)
    {
        error = null;
        var parameters = call.Parameters.Object("reply_parameters");
        var messageId = parameters.Long("message_id") ?? call.Long("reply_to_message_id");
        if (messageId is null)
        {
            return null;
        }

        var target = chat.Find(messageId.Value);
        if (target is null)
        {
            if (!parameters.Flag("allow_sending_without_reply") && !call.Flag("allow_sending_without_reply"))
            {
                error = BotApiResult.BadRequest("message to be replied not found");
            }

            return null;
        }

        var reply = target.Json.Copy();
        reply.Remove("reply_to_message");
        return reply;
    }

    /// <summary>Telegram shows reply_markup in a sent message only when it is an inline keyboard.</summary>
    private static JsonObject? InlineMarkup(BotApiCall call) =>
        call.Parameters.Object("reply_markup") is { } markup && markup.ContainsKey("inline_keyboard") ? markup.Copy() : null;

    private static Task<BotApiResult> Answer(BotApiResult result) => Task.FromResult(result);
}
