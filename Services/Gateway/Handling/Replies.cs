using System.Collections.Concurrent;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.State;
using Atlas.Gateway.Telegram.Client;
using StackExchange.Redis;

namespace Atlas.Gateway.Handling;

/// <summary>
/// Answers to an update, through <see cref="IOutbox"/> with a key derived from the update
/// (<c>update:&lt;id&gt;:&lt;purpose&gt;</c>), so an update handled again never answers twice. The outbox lives in
/// Redis; while Redis is down (the one case where it cannot queue) the answer is sent straight away instead, deduplicated
/// in memory, so that /start and /help still answer.
/// </summary>
public sealed class Replies(IOutbox outbox, RedisGuard redis, TelegramBot telegram, ILogger<Replies> logger)
{
    public const string Reply = "reply";
    private const int RememberedDirectKeys = 10_000;
    private readonly ConcurrentDictionary<string, bool> _sentDirectly = new(StringComparer.Ordinal);

    /// <summary>The idempotency key of an answer to update <paramref name="updateId"/>.</summary>
    public static string KeyFor(long updateId, string purpose) => $"update:{updateId}:{purpose}";

    /// <summary>
    /// Queues <paramref name="text"/> for the update's chat; false when it was queued before or there is no chat.
    /// <paramref name="parseMode"/> ("HTML") asks Telegram to read markup in it; plain text by default.
    /// </summary>
    public async Task<bool> SendAsync(
        UpdateContext context, string text, CancellationToken cancellationToken, string purpose = Reply, OutboundKeyboard? markup = null,
        string? parseMode = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ChatId is not { } chatId)
        {
            return false;
        }

        var message = new OutboundMessage(KeyFor(context.UpdateId, purpose), chatId, text, parseMode, ReplyMarkup: markup);
        if (redis.IsAvailable)
        {
            try
            {
                return await outbox.EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                GatewayLog.RedisUnavailable(logger, "outbox", exception.GetType().Name);
            }
        }

        return await SendDirectlyAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> SendDirectlyAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (_sentDirectly.Count > RememberedDirectKeys)
        {
            _sentDirectly.Clear();
        }

        if (!_sentDirectly.TryAdd(message.IdempotencyKey, true))
        {
            return false;
        }

        GatewayLog.ReplySentDirectly(logger, message.ChatId, message.IdempotencyKey);
        try
        {
            await telegram.Client().SendAsync(message.ChatId, message.Text, message.ParseMode, message.ReplyToMessageId, message.ReplyMarkup, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch
        {
            _sentDirectly.TryRemove(message.IdempotencyKey, out _);
            throw;
        }
    }
}
