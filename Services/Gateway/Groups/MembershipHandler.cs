using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Groups;

/// <summary>
/// <c>chat_member</c> (someone's membership changed) and <c>my_chat_member</c> (the bot's own) updates: keeps
/// <c>group_memberships</c> and <c>chats.bot_member</c> current for /groups.
/// </summary>
public sealed class MembershipHandler(MembershipStore memberships)
{
    public Task HandleAsync(UpdateContext context, ChatMemberUpdated change, bool isBot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(change);
        if (!change.Chat.IsGroup)
        {
            // In a private chat my_chat_member means the user blocked or unblocked the bot: nothing to track here.
            return Task.CompletedTask;
        }

        return isBot
            ? memberships.RecordBotMembershipAsync(change.Chat, change.NewChatMember.IsPresent, cancellationToken)
            : memberships.RecordMembershipAsync(change.Chat, change.NewChatMember.User, change.NewChatMember.Status, cancellationToken);
    }
}
