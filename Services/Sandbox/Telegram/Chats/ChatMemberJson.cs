using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Spec;

namespace Atlas.Sandbox.Telegram.Chats;

/// <summary>Builds the ChatMember objects of getChatMember and getChatAdministrators, one shape per status.</summary>
internal sealed class ChatMemberJson(BotApiSpec spec)
{
    // What an administrator may do unless the control API says otherwise.
    private static readonly string[] AdministratorRights =
    [
        "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members", "can_promote_members",
        "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories",
        "can_pin_messages", "can_manage_topics",
    ];

    /// <summary>The ChatPermissions fields, from the spec table.</summary>
    public IEnumerable<string> PermissionNames => spec.Types["ChatPermissions"].Fields.Select(f => f.Name);

    /// <summary>The User object of <paramref name="userId"/>: the bot, a user seen in an update, or a stand-in.</summary>
    public static JsonObject UserOf(SandboxBot bot, long userId) =>
        userId == bot.Id
            ? bot.ToUser()
            : bot.Chats.User(userId) ?? new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = $"User {userId}" };

    public JsonObject Build(SandboxBot bot, long userId, ChatMembership membership)
    {
        var member = new JsonObject { ["status"] = membership.Status, ["user"] = UserOf(bot, userId) };
        switch (membership.Status)
        {
            case ChatMembership.Creator:
                member["is_anonymous"] = false;
                break;
            case ChatMembership.Administrator:
                member["can_be_edited"] = false;
                member["is_anonymous"] = false;
                foreach (var right in AdministratorRights)
                {
                    member[right] = membership.Permissions.Flag(right, true);
                }

                break;
            case ChatMembership.Restricted:
                member["is_member"] = membership.Permissions.Flag("is_member", true);
                foreach (var permission in PermissionNames)
                {
                    member[permission] = membership.Permissions.Flag(permission);
                }

                member["until_date"] = membership.UntilDate ?? 0;
                break;
            case ChatMembership.Kicked:
                member["until_date"] = membership.UntilDate ?? 0;
                break;
        }

        return member;
    }
}
