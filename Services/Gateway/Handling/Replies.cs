using Atlas.Gateway.Outbound;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Handling;

/// <summary>
/// Answers to an update, always through <see cref="IOutbox"/> with a key derived from the update
/// (<c>update:&lt;id&gt;:&lt;purpose&gt;</c>), so an update handled again never answers twice.
/// </summary>
public sealed class Replies(IOutbox outbox)
{
    public const string Reply = "reply";

    /// <summary>The idempotency key of an answer to update <paramref name="updateId"/>.</summary>
    public static string KeyFor(long updateId, string purpose) => $"update:{updateId}:{purpose}";

    /// <summary>Queues <paramref name="text"/> for the update's chat; false when it was queued before or there is no chat.</summary>
    public Task<bool> SendAsync(
        UpdateContext context, string text, CancellationToken cancellationToken, string purpose = Reply, InlineKeyboardMarkup? markup = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ChatId is not { } chatId)
        {
            return Task.FromResult(false);
        }

        return outbox.EnqueueAsync(
            new OutboundMessage(KeyFor(context.UpdateId, purpose), chatId, text, ReplyMarkup: markup), cancellationToken);
    }
}
