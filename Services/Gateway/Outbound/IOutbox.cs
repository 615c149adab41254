namespace Atlas.Gateway.Outbound;

/// <summary>
/// The only way the bot sends messages. Queued messages are durable (they survive a gateway restart) and go out
/// under Telegram's limits, in order per chat.
/// </summary>
public interface IOutbox
{
    /// <summary>Queues <paramref name="message"/>; false when a message with the same idempotency key was already queued.</summary>
    Task<bool> EnqueueAsync(OutboundMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Moves what waits for <paramref name="fromChatId"/> to <paramref name="toChatId"/> (a group upgraded to a
    /// supergroup), ahead of anything queued there and in the same order; returns how many messages moved.
    /// </summary>
    Task<long> MoveChatAsync(long fromChatId, long toChatId, CancellationToken cancellationToken);
}
