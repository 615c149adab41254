using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Chats;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Telegram.Control;

/// <summary>Control API: what users do, turned into updates for the bot (raw updates, messages, button presses, joins and leaves).</summary>
internal static class InjectionEndpoints
{
    public static void MapInjectionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/bots/{token}/updates", InjectUpdate).WithName("InjectSandboxUpdate");
        api.MapPost("/bots/{token}/messages", SendUserMessage).WithName("SendSandboxUserMessage");
        api.MapPost("/bots/{token}/callback-queries", SendCallbackQuery).WithName("SendSandboxCallbackQuery");
        api.MapPost("/bots/{token}/members", SendMemberEvent).WithName("SendSandboxMemberEvent");
    }

    public static Results<Created<JsonObject>, ProblemHttpResult> InjectUpdate(string token, JsonObject? update, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        if (update is null || !update.Any(p => p.Key != "update_id"))
        {
            return ControlProblems.Invalid("The body must be a Telegram Update object with at least one field besides update_id.");
        }

        return TypedResults.Created((string?)null, services.Injector.Inject(bot, update));
    }

    public static Results<Created<InjectedMessage>, ProblemHttpResult> SendUserMessage(string token, UserMessageRequest request, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        // Without chatType, a chat the bot knows keeps its kind, and an unknown id gets the kind its sign and size
        // imply (as Telegram numbers chats); a private chat is always the user's own.
        var (known, knownTitle) = request.ChatId is { } given ? Known(bot, given) : (null, null);
        var chatType = request.ChatType ?? known ?? (request.ChatId is { } id ? BehaviourEndpoints.DefaultType(id) : SandboxChat.Private);
        if (!SandboxChat.Types.Contains(chatType))
        {
            return ControlProblems.Invalid("chatType must be private, group, supergroup or channel.");
        }

        if (string.IsNullOrEmpty(request.Text))
        {
            return ControlProblems.Invalid("text is required.");
        }

        var chatId = request.ChatId ?? request.UserId;
        if (chatType != SandboxChat.Private && request.ChatId is null)
        {
            return ControlProblems.Invalid("chatId is required for a group.");
        }

        if (chatType == SandboxChat.Private && chatId != request.UserId)
        {
            return ControlProblems.Invalid($"A private chat's id is its user's id ({request.UserId}), not {chatId}: leave chatId out, or say which chatType the chat is.");
        }

        var user = ControlUpdates.User(request.UserId, request.FirstName, request.Username, request.LanguageCode);
        JsonObject? replyTo = null;
        if (request.ReplyToMessageId is { } replyId)
        {
            lock (bot.Sync)
            {
                replyTo = bot.Chats.Find(chatId)?.Find(replyId)?.Json.Copy();
            }

            if (replyTo is null)
            {
                return ControlProblems.NotFound($"Message {replyId} is not in chat {chatId}.");
            }

            replyTo.Remove("reply_to_message");
        }

        var update = services.Injector.Inject(bot, ControlUpdates.TextMessage(user, ControlUpdates.Chat(chatId, chatType, request.ChatTitle ?? knownTitle, user), request.Text, replyTo));
        return TypedResults.Created((string?)null, new InjectedMessage(update.Long("update_id")!.Value, update.Object("message").Long("message_id")!.Value, update));
    }

    public static Results<Created<InjectedCallbackQuery>, ProblemHttpResult> SendCallbackQuery(string token, CallbackQueryRequest request, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        JsonObject? message;
        lock (bot.Sync)
        {
            message = bot.Chats.Find(request.ChatId)?.Find(request.MessageId)?.Json.Copy();
        }

        if (message is null)
        {
            return ControlProblems.NotFound($"Message {request.MessageId} is not in chat {request.ChatId}.");
        }

        var user = ControlUpdates.User(request.UserId, request.FirstName, request.Username, request.LanguageCode);
        var update = services.Injector.Inject(bot, ControlUpdates.CallbackQuery(user, message, request.Data));
        return TypedResults.Created((string?)null, new InjectedCallbackQuery(update.Long("update_id")!.Value, update.Object("callback_query").Text("id")!, update));
    }

    public static Results<Created<InjectedMemberEvent>, ProblemHttpResult> SendMemberEvent(string token, MemberEventRequest request, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        var (known, knownTitle) = Known(bot, request.ChatId);
        var chatType = request.ChatType ?? known ?? (request.ChatId < -1_000_000_000_000 ? SandboxChat.Supergroup : SandboxChat.Group);
        if (chatType is not (SandboxChat.Group or SandboxChat.Supergroup))
        {
            return ControlProblems.Invalid("chatType must be group or supergroup.");
        }

        if (request.Event is not ("joined" or "left"))
        {
            return ControlProblems.Invalid("event must be joined or left.");
        }

        var joined = request.Event == "joined";
        var user = request.UserId == bot.Id ? bot.ToUser() : ControlUpdates.User(request.UserId, request.FirstName, request.Username, null);
        var chat = ControlUpdates.Chat(request.ChatId, chatType, request.ChatTitle ?? knownTitle, user);
        var message = services.Injector.Inject(bot, ControlUpdates.MemberMessage(user, chat, joined));
        var change = services.Injector.Inject(bot, ControlUpdates.MemberChange(bot, user, chat, joined, message.Object("message").Long("date") ?? 0));
        return TypedResults.Created((string?)null, new InjectedMemberEvent(
            message.Long("update_id")!.Value, message.Object("message").Long("message_id")!.Value, message, change.Long("update_id")!.Value, change));
    }

    // The kind and title of a chat the bot knows already: an injected update without them keeps the chat as it is.
    private static (string? Type, string? Title) Known(SandboxBot bot, long chatId)
    {
        lock (bot.Sync)
        {
            return bot.Chats.Find(chatId) is { } chat ? (chat.Type, chat.Title) : (null, null);
        }
    }
}
