using Atlas.Contracts.Moderation;
using Atlas.Gateway.Diagnostics;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// <see cref="IOutbox"/> on Redis: splits a text longer than Telegram allows, then queues all its parts and remembers
/// the idempotency key in one atomic step (<see cref="OutboundStore.EnqueueAsync"/>), and wakes the sender. Moderation
/// actions go to their chat's action lane (<see cref="ActionStore.EnqueueAsync"/>).
/// </summary>
internal sealed class RedisOutbox(
    OutboundStore store, ActionStore actions, OutboundSignal signal, GatewayMetrics metrics, IOptions<OutboundOptions> options, TimeProvider time,
    ILogger<RedisOutbox> logger) : IOutbox
{
    public async Task<long> MoveChatAsync(long fromChatId, long toChatId, CancellationToken cancellationToken)
    {
        var moved = await store.MoveChatAsync(fromChatId, toChatId, cancellationToken).ConfigureAwait(false);
        if (moved > 0)
        {
            signal.Notify();
        }

        return moved;
    }

    public async Task<bool> EnqueueActionAsync(ModerationActionRequested action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var queued = new QueuedAction(action, time.GetUtcNow()) { TraceParent = GatewayActivity.CurrentTraceParent() };
        if (!await actions.EnqueueAsync(queued, cancellationToken).ConfigureAwait(false))
        {
            GatewayLog.OutboundActionDuplicate(logger, action.ChatId, queued.Name);
            return false;
        }

        signal.Notify();
        return true;
    }

    public async Task<bool> EnqueueAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Problem(message) is { } problem)
        {
            throw new ArgumentException(problem, nameof(message));
        }

        var texts = MessageSplitter.Split(
            message.Text, options.Value.MaxMessageLength, string.Equals(message.ParseMode, TelegramHtml.ParseMode, StringComparison.OrdinalIgnoreCase));
        var now = time.GetUtcNow();
        var traceParent = GatewayActivity.CurrentTraceParent();
        var parts = new List<string>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var part = new QueuedMessage(
                Guid.NewGuid().ToString("N"),
                message.IdempotencyKey,
                i + 1,
                texts.Count,
                message.ChatId,
                texts[i],
                message.ParseMode,
                i == 0 ? message.ReplyToMessageId : null,
                i == texts.Count - 1 ? message.ReplyMarkup : null,
                now) { TraceParent = traceParent };
            parts.Add(part.Serialize());
        }

        var depth = await store.EnqueueAsync(message.ChatId, message.IdempotencyKey, parts, cancellationToken).ConfigureAwait(false);
        if (depth is null)
        {
            metrics.Outbound("duplicate");
            GatewayLog.OutboundDuplicate(logger, message.ChatId, message.IdempotencyKey);
            return false;
        }

        if (texts.Count > 1)
        {
            GatewayLog.OutboundSplit(logger, message.ChatId, message.IdempotencyKey, message.Text.Length, texts.Count);
        }

        metrics.OutboundQueueDepth(depth.Value);
        signal.Notify();
        return true;
    }

    /// <summary>What makes <paramref name="message"/> unsendable, or null when it is fine.</summary>
    public static string? Problem(OutboundMessage message) =>
        message is null ? "The message is missing."
        : string.IsNullOrWhiteSpace(message.IdempotencyKey) ? "IdempotencyKey is required."
        : message.IdempotencyKey.Length > 512 ? "IdempotencyKey is longer than 512 characters."
        : message.ChatId == 0 ? "ChatId is required."
        : string.IsNullOrWhiteSpace(message.Text) ? "Text is empty; Telegram does not send empty messages."
        : null;
}
