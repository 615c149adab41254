using Atlas.Sandbox.Telegram.Actions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Telegram.Control;

/// <summary>Control API: what the bot did (its Bot API calls), what its chats hold, and how its webhook fares.</summary>
internal static class InspectionEndpoints
{
    public static void MapInspectionEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/bots/{token}/actions", GetActions).WithName("GetSandboxBotActions");
        api.MapGet("/bots/{token}/chats", GetChats).WithName("GetSandboxBotChats");
        api.MapGet("/bots/{token}/chats/{chatId:long}/messages", GetChatMessages).WithName("GetSandboxChatMessages");
        api.MapGet("/bots/{token}/webhook", GetWebhook).WithName("GetSandboxBotWebhook");
    }

    /// <summary>Every Bot API call after <paramref name="after"/>, in order; getUpdates, getMe and getWebhookInfo only with includeReads or when asked for by name.</summary>
    public static Results<Ok<List<BotAction>>, ProblemHttpResult> GetActions(
        string token, long? after, string? method, bool? includeReads, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        lock (bot.Sync)
        {
            return TypedResults.Ok(bot.Actions.After(after ?? 0, string.IsNullOrEmpty(method) ? null : method, includeReads ?? false));
        }
    }

    public static Results<Ok<ChatView[]>, ProblemHttpResult> GetChats(string token, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        lock (bot.Sync)
        {
            return TypedResults.Ok(bot.Chats.Chats
                .OrderBy(c => c.Id)
                .Select(c => new ChatView(c.Id, c.Type, c.Title ?? c.FirstName, c.Username, c.BlockedByUser, c.Messages.Count))
                .ToArray());
        }
    }

    public static Results<Ok<ChatMessageView[]>, ProblemHttpResult> GetChatMessages(string token, long chatId, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        lock (bot.Sync)
        {
            if (bot.Chats.Find(chatId) is not { } chat)
            {
                return ControlProblems.NotFound($"Chat {chatId} is not known to this bot.");
            }

            return TypedResults.Ok(chat.Messages
                .Select(m => new ChatMessageView(
                    m.MessageId,
                    m.Json.Long("date") ?? 0,
                    m.FromBot,
                    m.Json.Object("from").Long("id"),
                    m.Json.Text("text"),
                    m.Edited,
                    m.Deleted,
                    m.Json.Copy()))
                .ToArray());
        }
    }

    public static Results<Ok<WebhookView>, ProblemHttpResult> GetWebhook(string token, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        lock (bot.Sync)
        {
            var webhook = bot.Webhook;
            return TypedResults.Ok(new WebhookView(
                webhook.Url?.OriginalString,
                webhook.SecretToken,
                webhook.MaxConnections,
                bot.Updates.AllowedUpdates,
                bot.Updates.Count,
                webhook.DeliveryAttempts,
                webhook.Delivered,
                webhook.FailedAttempts,
                webhook.InFlight,
                webhook.LastErrorDate,
                webhook.LastErrorMessage));
        }
    }
}
