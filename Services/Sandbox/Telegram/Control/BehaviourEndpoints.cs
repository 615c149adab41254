using Atlas.Sandbox.Telegram.Chats;
using Atlas.Sandbox.Telegram.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Telegram.Control;

/// <summary>Control API: arranging the world the bot meets (faults, chats, memberships, blocks).</summary>
internal static class BehaviourEndpoints
{
    public static void MapBehaviourEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/bots/{token}/faults", GetFaults).WithName("GetSandboxFaults");
        api.MapPost("/bots/{token}/faults", AddFault).WithName("AddSandboxFault");
        api.MapDelete("/bots/{token}/faults", ClearFaults).WithName("ClearSandboxFaults");
        api.MapPut("/bots/{token}/chats/{chatId:long}", PutChat).WithName("PutSandboxChat");
        api.MapPut("/bots/{token}/chats/{chatId:long}/members/{userId:long}", SetMemberStatus).WithName("SetSandboxMemberStatus");
        api.MapPut("/bots/{token}/chats/{chatId:long}/blocked", SetBlocked).WithName("SetSandboxChatBlocked");
    }

    public static Results<Ok<IReadOnlyList<FaultSpec>>, ProblemHttpResult> GetFaults(string token, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        lock (bot.Sync)
        {
            return TypedResults.Ok(bot.Faults.Pending());
        }
    }

    public static Results<Created<FaultSpec>, ProblemHttpResult> AddFault(string token, FaultSpec fault, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        if (fault.Problem() is { } problem)
        {
            return ControlProblems.Invalid(problem);
        }

        lock (bot.Sync)
        {
            bot.Faults.Add(fault);
        }

        return TypedResults.Created((string?)null, fault);
    }

    public static Results<NoContent, ProblemHttpResult> ClearFaults(string token, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        lock (bot.Sync)
        {
            bot.Faults.Clear();
        }

        return TypedResults.NoContent();
    }

    public static Results<Ok<ChatView>, ProblemHttpResult> PutChat(string token, long chatId, ChatRequest request, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        var type = request.Type ?? DefaultType(chatId);
        if (!SandboxChat.Types.Contains(type))
        {
            return ControlProblems.Invalid("type must be private, group, supergroup or channel.");
        }

        lock (bot.Sync)
        {
            var chat = bot.Chats.GetOrAdd(chatId, type);
            chat.Type = type;
            chat.Title = request.Title ?? chat.Title ?? (type == SandboxChat.Private ? null : $"Sandbox {type} {chatId}");
            chat.Username = request.Username?.TrimStart('@') ?? chat.Username;
            chat.FirstName = request.FirstName ?? chat.FirstName;
            return TypedResults.Ok(new ChatView(chat.Id, chat.Type, chat.Title ?? chat.FirstName, chat.Username, chat.BlockedByUser, chat.Messages.Count));
        }
    }

    public static Results<NoContent, ProblemHttpResult> SetMemberStatus(
        string token, long chatId, long userId, MemberStatusRequest request, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        if (request.Status is null || !ChatMembership.Statuses.Contains(request.Status))
        {
            return ControlProblems.Invalid("status must be creator, administrator, member, restricted, left or kicked.");
        }

        var type = request.ChatType ?? DefaultType(chatId);
        if (!SandboxChat.Types.Contains(type))
        {
            return ControlProblems.Invalid("chatType must be private, group, supergroup or channel.");
        }

        lock (bot.Sync)
        {
            var chat = bot.Chats.Find(chatId) ?? bot.Chats.GetOrAdd(chatId, type);
            chat.Title ??= request.ChatTitle ?? (chat.IsGroup ? $"Sandbox {chat.Type} {chatId}" : null);
            if (userId != bot.Id && (bot.Chats.User(userId) is null || request.FirstName is not null || request.Username is not null))
            {
                bot.Chats.LearnUser(ControlUpdates.User(userId, request.FirstName, request.Username, null));
            }

            var membership = chat.MembershipOf(userId);
            membership.Status = request.Status;
            membership.Permissions = request.Permissions?.Copy();
            membership.UntilDate = request.UntilDate;
            bot.NotifyChanged();
        }

        return TypedResults.NoContent();
    }

    public static Results<NoContent, ProblemHttpResult> SetBlocked(string token, long chatId, BlockedRequest request, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        lock (bot.Sync)
        {
            var chat = bot.Chats.Find(chatId) ?? (chatId > 0 ? bot.Chats.GetOrAdd(chatId, SandboxChat.Private) : null);
            if (chat is null || chat.Type != SandboxChat.Private)
            {
                return ControlProblems.Invalid("Only a private chat (a positive chat id) can block the bot.");
            }

            chat.BlockedByUser = request.Blocked;
        }

        return TypedResults.NoContent();
    }

    /// <summary>Telegram's ids: users and private chats positive, supergroups below -10^12, basic groups other negatives.</summary>
    /// <summary>The kind of chat an id implies: users' (private) ids are positive, supergroups' below -10^12, basic groups' between.</summary>
    internal static string DefaultType(long chatId) =>
        chatId > 0 ? SandboxChat.Private : chatId < -1_000_000_000_000 ? SandboxChat.Supergroup : SandboxChat.Group;
}
