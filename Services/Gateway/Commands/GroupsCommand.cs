using System.Text;
using Atlas.Gateway.Groups;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;

namespace Atlas.Gateway.Commands;

/// <summary><c>/groups</c>: the groups the user shares with the bot, from the memberships in PostgreSQL.</summary>
public sealed class GroupsCommand(MembershipStore memberships, Replies replies)
{
    public async Task HandleAsync(UpdateContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userId = context.User?.Id ?? 0;
        var groups = await memberships.GetSharedGroupsAsync(userId, cancellationToken).ConfigureAwait(false);
        if (groups.Count == 0)
        {
            await replies.SendAsync(context, context.Text(TextKeys.GroupsNone), cancellationToken).ConfigureAwait(false);
            return;
        }

        var text = new StringBuilder(context.Text(TextKeys.GroupsHeader));
        foreach (var (chatId, title) in groups)
        {
            text.Append("\n• ").Append(title.Length > 0 ? title : chatId.ToString(context.Culture));
        }

        await replies.SendAsync(context, text.ToString(), cancellationToken).ConfigureAwait(false);
    }
}
