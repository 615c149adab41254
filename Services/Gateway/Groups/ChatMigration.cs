using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Outbound;
using MassTransit;

namespace Atlas.Gateway.Groups;

/// <summary>
/// Follows a group upgraded to a supergroup (migrate_to_chat_id): its memberships and the messages queued for it move
/// to the supergroup, and <see cref="ChatMigrated"/> tells the other services to move their per-chat settings. Every
/// step is safe to repeat, so the two service messages Telegram sends (and any redelivery) do it once in effect.
/// </summary>
public sealed class ChatMigration(MembershipStore memberships, IOutbox outbox, IBus bus, TimeProvider time, ILogger<ChatMigration> logger)
{
    public const string Purpose = "chat-migrated";

    public async Task MigrateAsync(long fromChatId, long toChatId, CancellationToken cancellationToken)
    {
        await memberships.MoveChatAsync(fromChatId, toChatId, cancellationToken).ConfigureAwait(false);
        var moved = await outbox.MoveChatAsync(fromChatId, toChatId, cancellationToken).ConfigureAwait(false);
        await bus.Publish(
            new ChatMigrated(fromChatId, toChatId, time.GetUtcNow()),
            // The same id for both service messages of one upgrade, so consumers see one event.
            publish => publish.MessageId = UpdateMessageIds.For(toChatId, $"{Purpose}:{fromChatId}"),
            cancellationToken).ConfigureAwait(false);
        GatewayLog.ChatMigrated(logger, fromChatId, toChatId, moved);
    }
}
