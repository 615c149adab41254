using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Chats;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Telegram.Control;

/// <summary>POST .../chats/{chatId}/migrate: who upgrades the group, and optionally the supergroup's id.</summary>
internal sealed record MigrateChatRequest(long UserId, long? SupergroupId);

/// <summary>The supergroup a group became and the two service-message updates Telegram sends about it.</summary>
internal sealed record ChatMigrated(long SupergroupId, long UpdateId, JsonObject Update, long SupergroupUpdateId, JsonObject SupergroupUpdate);

/// <summary>
/// Control API: a user upgrades a group to a supergroup, as Telegram does it. The supergroup gets a new id, the
/// group's title and members; the group's last message says migrate_to_chat_id, the supergroup's first says
/// migrate_from_chat_id; from then on every Bot API call naming the old group answers 400 with
/// parameters.migrate_to_chat_id.
/// </summary>
internal static class MigrationEndpoints
{
    public static void MapMigrationEndpoints(this RouteGroupBuilder api) =>
        api.MapPost("/bots/{token}/chats/{chatId}/migrate", Migrate).WithName("MigrateSandboxGroup");

    public static Results<Created<ChatMigrated>, ProblemHttpResult> Migrate(
        string token, long chatId, MigrateChatRequest request, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        var supergroupId = request.SupergroupId ?? -(1_000_000_000_000 + Math.Abs(chatId));
        JsonObject groupJson;
        JsonObject supergroupJson;
        lock (bot.Sync)
        {
            if (bot.Chats.Find(chatId) is not { Type: SandboxChat.Group, MigratedTo: null } group)
            {
                return ControlProblems.Invalid($"Chat {chatId} is not a group the bot knows (or it was upgraded already).");
            }

            if (bot.Chats.Find(supergroupId) is not null)
            {
                return ControlProblems.Conflict($"Chat {supergroupId} exists already.");
            }

            var supergroup = bot.Chats.GetOrAdd(supergroupId, SandboxChat.Supergroup);
            supergroup.Title = group.Title;
            foreach (var (userId, membership) in group.Members)
            {
                supergroup.Members[userId] = membership;
            }

            group.MigratedTo = supergroupId;
            groupJson = group.ToJson();
            supergroupJson = supergroup.ToJson();
        }

        var user = bot.Chats.User(request.UserId) ?? ControlUpdates.User(request.UserId, null, null, null);
        var update = services.Injector.Inject(bot, new JsonObject
        {
            ["message"] = new JsonObject { ["from"] = user.Copy(), ["chat"] = groupJson, ["migrate_to_chat_id"] = supergroupId },
        });
        var supergroupUpdate = services.Injector.Inject(bot, new JsonObject
        {
            ["message"] = new JsonObject { ["from"] = user.Copy(), ["chat"] = supergroupJson, ["migrate_from_chat_id"] = chatId },
        });
        return TypedResults.Created(
            (string?)null,
            new ChatMigrated(supergroupId, update.Long("update_id")!.Value, update, supergroupUpdate.Long("update_id")!.Value, supergroupUpdate));
    }
}
