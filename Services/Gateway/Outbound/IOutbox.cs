using Atlas.Contracts.Moderation;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// The only way the bot sends messages and carries out moderation actions. Queued work is durable (it survives a
/// gateway restart) and goes out under Telegram's limits, in order per chat.
/// </summary>
public interface IOutbox
{
    /// <summary>Queues <paramref name="message"/>; false when a message with the same idempotency key was already queued.</summary>
    Task<bool> EnqueueAsync(OutboundMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Queues a moderation action in its chat's action lane, which runs ahead of the chat's messages and outside their
    /// send spacing, but waits out the chat's flood state; false when the same <see cref="ModerationActionRequested.ActionId"/> was queued already.
    /// </summary>
    Task<bool> EnqueueActionAsync(ModerationActionRequested action, CancellationToken cancellationToken);

    /// <summary>
    /// Moves what waits for <paramref name="fromChatId"/> to <paramref name="toChatId"/> (a group upgraded to a
    /// supergroup), ahead of anything queued there and in the same order; returns how many messages moved.
    /// </summary>
    Task<long> MoveChatAsync(long fromChatId, long toChatId, CancellationToken cancellationToken);
}
