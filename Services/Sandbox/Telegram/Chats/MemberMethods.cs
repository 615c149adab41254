using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Bots;

namespace Atlas.Sandbox.Telegram.Chats;

/// <summary>
/// banChatMember, unbanChatMember, restrictChatMember, getChatMember and getChatAdministrators. Moderation needs the
/// bot to be an administrator with can_restrict_members (set it with the control API), as in Telegram.
/// </summary>
internal sealed class MemberMethods(ChatMemberJson members, TimeProvider time) : IBotApiMethodSet
{
    private static readonly BotApiResult NotEnoughRights = BotApiResult.BadRequest("not enough rights to restrict/unrestrict chat member");

    public IEnumerable<BotApiMethod> Methods =>
    [
        new("banChatMember", BanAsync),
        new("unbanChatMember", UnbanAsync),
        new("restrictChatMember", RestrictAsync),
        new("getChatMember", GetChatMemberAsync),
        new("getChatAdministrators", GetChatAdministratorsAsync),
    ];

    private Task<BotApiResult> BanAsync(BotApiCall call, CancellationToken cancellationToken) =>
        Moderate(call, requireSupergroup: false, (chat, userId, membership) =>
        {
            membership.Status = ChatMembership.Kicked;
            membership.UntilDate = Until(call);
            membership.Permissions = null;
            if (call.Flag("revoke_messages") || chat.Type == SandboxChat.Group)
            {
                foreach (var message in chat.Messages.Where(m => m.Json.Object("from").Long("id") == userId))
                {
                    message.Deleted = true;
                }
            }
        });

    private static Task<BotApiResult> UnbanAsync(BotApiCall call, CancellationToken cancellationToken) =>
        Moderate(call, requireSupergroup: false, (_, _, membership) =>
        {
            if (membership.Status == ChatMembership.Kicked || !call.Flag("only_if_banned"))
            {
                // Telegram: afterwards the user is not a member but may join; a member is removed from the chat.
                membership.Status = ChatMembership.Left;
                membership.UntilDate = null;
                membership.Permissions = null;
            }
        });

    private Task<BotApiResult> RestrictAsync(BotApiCall call, CancellationToken cancellationToken) =>
        Moderate(call, requireSupergroup: true, (_, _, membership) =>
        {
            var given = call.Parameters.Object("permissions") ?? [];
            var permissions = new JsonObject { ["is_member"] = membership.IsPresent };
            foreach (var name in members.PermissionNames)
            {
                permissions[name] = given.Flag(name);
            }

            // Restricting with every permission lifts the restriction, as in Telegram.
            var allAllowed = members.PermissionNames.All(name => given.Flag(name));
            membership.Status = allAllowed ? (membership.IsPresent ? ChatMembership.Member : ChatMembership.Left) : ChatMembership.Restricted;
            membership.Permissions = allAllowed ? null : permissions;
            membership.UntilDate = allAllowed ? null : Until(call);
        });

    // The spec: a ban or restriction for less than 30 seconds or more than 366 days from now is for good (0).
    private long Until(BotApiCall call)
    {
        var until = call.Long("until_date") ?? 0;
        var left = until - time.UnixTime();
        return left is < 30 or > 366L * 24 * 3600 ? 0 : until;
    }

    private Task<BotApiResult> GetChatMemberAsync(BotApiCall call, CancellationToken cancellationToken) =>
        ChatAccess.InChat(call, (bot, chat) =>
        {
            var userId = call.Long("user_id")!.Value;
            if (userId != bot.Id && bot.Chats.User(userId) is null)
            {
                return BotApiResult.BadRequest("user not found");
            }

            var membership = userId == bot.Id ? ChatAccess.BotMembership(bot, chat)
                : chat.Members.TryGetValue(userId, out var known) ? known
                : new ChatMembership(chat.Type == SandboxChat.Private && chat.Id == userId ? ChatMembership.Member : ChatMembership.Left);
            return BotApiResult.Success(members.Build(bot, userId, membership));
        });

    private Task<BotApiResult> GetChatAdministratorsAsync(BotApiCall call, CancellationToken cancellationToken) =>
        ChatAccess.InChat(call, (bot, chat) =>
        {
            if (chat.Type == SandboxChat.Private)
            {
                return BotApiResult.BadRequest("there are no administrators in the private chat");
            }

            var administrators = chat.Members
                .Where(m => m.Value.IsAdministrator)
                .Where(m => m.Key == bot.Id || call.Flag("return_bots") || !ChatMemberJson.UserOf(bot, m.Key).Flag("is_bot"))
                .OrderBy(m => m.Value.Status == ChatMembership.Creator ? 0 : 1)
                .ThenBy(m => m.Key)
                .Select(m => (JsonNode)members.Build(bot, m.Key, m.Value));
            return BotApiResult.Success(new JsonArray([.. administrators]));
        });

    /// <summary>The checks every moderation method shares, then <paramref name="apply"/> to the target's membership.</summary>
    private static Task<BotApiResult> Moderate(BotApiCall call, bool requireSupergroup, Action<SandboxChat, long, ChatMembership> apply) =>
        ChatAccess.InChat(call, (bot, chat) =>
        {
            if (requireSupergroup && chat.Type != SandboxChat.Supergroup)
            {
                return BotApiResult.BadRequest("method is available only for supergroups");
            }

            if (chat.Type == SandboxChat.Private)
            {
                return BotApiResult.BadRequest("method is available for supergroup and channel chats only");
            }

            var userId = call.Long("user_id")!.Value;
            if (userId == bot.Id)
            {
                return BotApiResult.BadRequest("can't restrict self");
            }

            if (ChatAccess.CheckAdminRight(bot, chat, "can_restrict_members", NotEnoughRights) is { } refusal)
            {
                return refusal;
            }

            var membership = chat.MembershipOf(userId);
            if (membership.Status == ChatMembership.Creator)
            {
                return BotApiResult.BadRequest("can't remove chat owner");
            }

            if (membership.Status == ChatMembership.Administrator)
            {
                return BotApiResult.BadRequest("user is an administrator of the chat");
            }

            apply(chat, userId, membership);
            return BotApiResult.True();
        });
}
