using Atlas.Contracts.Moderation;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Groups;
using Atlas.Gateway.Telegram.Api;
using MassTransit;

namespace Atlas.Gateway.Handling;

/// <summary>
/// A message in a group or supergroup: remembers who is in the group and publishes <see cref="MessagePosted"/> for
/// Moderation, with a MessageId derived from the update_id so a second publish of the same update is recognisable.
/// Join service messages update the memberships and publish <see cref="MemberJoined"/>; leaves only update them; an
/// upgrade to a supergroup moves the group (<see cref="ChatMigration"/>).
/// </summary>
public sealed class GroupMessageHandler(
    IBus bus, MembershipStore memberships, ChatMigration migration, BotIdentity identity, TimeProvider time, ILogger<GroupMessageHandler> logger)
{
    public const string Purpose = "message-posted";

    public async Task HandleAsync(UpdateContext context, Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        // Either service message of an upgrade moves the group; whichever comes second finds nothing left to move.
        if (message.MigrateToChatId is { } supergroupId)
        {
            await migration.MigrateAsync(message.Chat.Id, supergroupId, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message.MigrateFromChatId is { } groupId)
        {
            await migration.MigrateAsync(groupId, message.Chat.Id, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message.NewChatMembers is { Count: > 0 } joined)
        {
            foreach (var member in joined)
            {
                await RecordAsync(context, ct => memberships.RecordMembershipAsync(message.Chat, member, "member", ct), cancellationToken)
                    .ConfigureAwait(false);
            }

            await PublishJoinsAsync(context, message, joined, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message.LeftChatMember is { } left)
        {
            await RecordAsync(context, ct => memberships.RecordMembershipAsync(message.Chat, left, "left", ct), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        if (message.From is not { } author)
        {
            return;
        }

        if (context.Batch?.MembershipRecorded(context.UpdateId) != true)
        {
            await RecordAsync(context, ct => memberships.RecordGroupMessageAsync(message.Chat, author, ct), cancellationToken)
                .ConfigureAwait(false);
        }

        await PublishAsync(context, message, author, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes <see cref="MessagePosted"/> for <paramref name="message"/> (also used for edits), or, for an update of an
    /// ingest batch, leaves it to the batch's one publish.
    /// </summary>
    public async Task PublishAsync(UpdateContext context, Message message, User author, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(author);
        var postedAt = message.Date > 0 ? DateTimeOffset.FromUnixTimeSeconds(message.Date) : time.GetUtcNow();
        var posted = new MessagePosted(
            context.UpdateId, message.Chat.Id, message.MessageId, author.Id, author.Username, message.Text ?? message.Caption, postedAt,
            message.ReplyToMessage?.MessageId, message.ReplyToMessage?.From?.Id, Edited: context.Update.EditedMessage is not null)
        {
            ForAnotherBot = await identity.IsAnotherBotAsync(message.Command?.BotUsername, cancellationToken).ConfigureAwait(false),
        };
        if (context.Batch is { } batch)
        {
            batch.Defer(posted);
            return;
        }

        await bus.Publish(posted, publish => publish.MessageId = MessageIdOf(posted), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bus MessageId of <paramref name="posted"/>: the same for every publish of one update.</summary>
    public static Guid MessageIdOf(MessagePosted posted)
    {
        ArgumentNullException.ThrowIfNull(posted);
        return UpdateMessageIds.For(posted.UpdateId, Purpose);
    }

    // Moderation's new-member restrictions start at the join.
    private async Task PublishJoinsAsync(UpdateContext context, Message message, IReadOnlyList<User> joined, CancellationToken cancellationToken)
    {
        var joinedAt = message.Date > 0 ? DateTimeOffset.FromUnixTimeSeconds(message.Date) : time.GetUtcNow();
        foreach (var member in joined.Where(m => !m.IsBot))
        {
            var messageId = UpdateMessageIds.For(context.UpdateId, $"member-joined:{member.Id}");
            await bus.Publish(
                new MemberJoined(context.UpdateId, message.Chat.Id, member.Id, member.Username, joinedAt),
                publish => publish.MessageId = messageId, cancellationToken).ConfigureAwait(false);
        }
    }

    // Membership bookkeeping is worth a log line when it fails, never the loss of the message for Moderation.
    private async Task RecordAsync(UpdateContext context, Func<CancellationToken, Task> record, CancellationToken cancellationToken)
    {
        try
        {
            await record(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            GatewayLog.MembershipNotRecorded(logger, context.UpdateId, exception.GetType().Name);
        }
    }
}
