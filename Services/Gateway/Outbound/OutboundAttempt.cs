using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Telegram.Resilience;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// One send of a claimed chat's next message and what follows from Telegram's answer: sent (pop it, space the chat),
/// 429 (wait out retry_after; park beyond <see cref="OutboundOptions.MaxRetryAfter"/>), 5xx / network / timeout (back
/// off with <see cref="TelegramResilience.Backoff"/>; park past <see cref="OutboundOptions.RetryHorizon"/>), or a permanent error
/// (dead letter with the reason; a 401 waits <see cref="OutboundOptions.UnauthorizedRetryDelay"/> for a rotated token; a text whose markup Telegram cannot parse is sent again as plain text). The outcome is written to Redis even while the gateway stops.
/// The send itself is only timed out, never retried in place (<see cref="TelegramRetry.None"/>): this schedule is the retry.
/// </summary>
internal sealed class OutboundAttempt
{
    private readonly OutboundStore _store;
    private readonly TelegramResilience _telegram;
    private readonly GatewayMetrics _metrics;
    private readonly OutboundOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OutboundPersist _persist;

    public OutboundAttempt(
        OutboundStore store, TelegramResilience telegram, GatewayMetrics metrics, OutboundOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _telegram = telegram;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
        _persist = new OutboundPersist(time, logger);
    }

    /// <summary>Sends the head of <paramref name="chatId"/>; true when a request went to Telegram.</summary>
    /// <param name="stoppingToken">Set when the gateway stops: no new send starts.</param>
    /// <param name="abortToken">Set when stopping takes too long: the send in flight is cut.</param>
    public async Task<bool> RunAsync(long chatId, CancellationToken stoppingToken, CancellationToken abortToken)
    {
        var head = stoppingToken.IsCancellationRequested ? null : await _store.PeekAsync(chatId, CancellationToken.None).ConfigureAwait(false);
        if (head is null || stoppingToken.IsCancellationRequested)
        {
            // Released even when stopping is cut short: a claim left behind would hold the chat for the whole lease.
            await _store.ReleaseAsync(chatId, CancellationToken.None).ConfigureAwait(false);
            return false;
        }

        if (QueuedMessage.TryDeserialize(head) is not { } message)
        {
            GatewayLog.OutboundUnreadable(_logger, chatId, head.Length);
            var dead = new DeadLetter(null, head, "The queued entry is not a message the gateway can read.", null, _time.GetUtcNow());
            _metrics.Outbound("failed");
            await _persist.RunAsync(chatId, ct => CompleteAsync(chatId, head, _time.GetUtcNow(), dead, ct), abortToken).ConfigureAwait(false);
            return false;
        }

        Exception? failure = null;
        using var activity = GatewayActivity.StartOutboundSend(message.TraceParent, chatId, message.Attempts + 1);
        try
        {
            await _telegram.ExecuteAsync(
                "sendMessage",
                TelegramRetry.None,
                (client, ct) => client.SendAsync(chatId, message.Text, message.ParseMode, message.ReplyToMessageId, message.ReplyMarkup, ct),
                abortToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abortToken.IsCancellationRequested)
        {
            // Cut by a stop that took too long: Telegram may or may not have it; it stays queued and goes again after restart.
            await _store.ReleaseAsync(chatId, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception)
        {
            failure = exception;
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.GetType().Name);
        }

        await _persist.RunAsync(chatId, Decide(chatId, head, message, failure), abortToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Logs and counts the outcome once, and returns the Redis step that records it.</summary>
    private Func<CancellationToken, Task> Decide(long chatId, string head, QueuedMessage message, Exception? failure)
    {
        var now = _time.GetUtcNow();
        switch (failure)
        {
            case null:
                GatewayLog.OutboundSent(_logger, chatId, message.IdempotencyKey, message.Part, message.Parts, message.Attempts);
                _metrics.Outbound("sent");
                return ct => CompleteAsync(chatId, head, now + _options.PerChatInterval, null, ct, countInGroupWindow: true);

            case { } flood when flood.IsFloodWait():
                _metrics.FloodWait();
                var retryAfter = flood.RetryAfter() ?? _options.Backoff(message.Attempts + 1);
                var parked = retryAfter > _options.MaxRetryAfter;
                GatewayLog.OutboundFloodWait(_logger, chatId, message.IdempotencyKey, retryAfter, parked);
                // The chat's flood state: its moderation actions wait until then too.
                return RetryLater(chatId, head, message.Failed(now, parked), now + retryAfter, floodWait: true);

            case { } markup when IsMarkupError(markup, message):
                // The markup is broken (perhaps cut by a split): plain text still tells the user what we meant to say.
                GatewayLog.OutboundMarkupFallback(_logger, chatId, message.IdempotencyKey, message.ParseMode!);
                _metrics.Outbound("retried");
                var text = string.Equals(message.ParseMode, TelegramHtml.ParseMode, StringComparison.OrdinalIgnoreCase) ? TelegramHtml.ToPlainText(message.Text) : message.Text;
                var plain = (message with { ParseMode = null, Text = text }).Failed(now, parked: false).Serialize();
                return ct => _store.RescheduleAsync(chatId, head, plain, now, parked: false, ct);

            case { } migrated when migrated.MigrateToChatId() is { } supergroupId:
                // The group became a supergroup: its queue (this message first) now goes there.
                GatewayLog.OutboundChatMigrated(_logger, chatId, supergroupId, message.IdempotencyKey);
                _metrics.Outbound("retried");
                return ct => _store.MoveChatAsync(chatId, supergroupId, ct);

            case { } unauthorized when unauthorized.ErrorCode() == 401:
                // The token was revoked: wait for the rotated one at a steady pace, not the growing backoff; never a dead letter.
                GatewayLog.OutboundUnauthorized(_logger, chatId, message.IdempotencyKey, _options.UnauthorizedRetryDelay);
                return RetryLater(chatId, head, message.Failed(now, parked: false), now + _options.UnauthorizedRetryDelay);

            case { } refusal when refusal.IsRefusal():
                var code = refusal.ErrorCode()!.Value;
                GatewayLog.OutboundDeadLettered(_logger, chatId, message.IdempotencyKey, code, refusal.Message, message.Text.Length);
                var dead = new DeadLetter(message, null, $"{code}: {refusal.Message}", code, now);
                _metrics.Outbound("failed");
                return ct => CompleteAsync(chatId, head, now + _options.PerChatInterval, dead, ct);

            default:
                var failed = message.Failed(now, parked: false);
                var (delay, park) = _options.NextTry(failed.FailingSince, failed.Attempts, now);
                GatewayLog.OutboundRetrying(_logger, failure, chatId, message.IdempotencyKey, failed.Attempts, delay, park);
                return RetryLater(chatId, head, failed with { Parked = park }, now + delay);
        }
    }

    private async Task CompleteAsync(
        long chatId, string head, DateTimeOffset nextAt, DeadLetter? deadLetter, CancellationToken cancellationToken, bool countInGroupWindow = false)
    {
        var depth = await _store.CompleteAsync(chatId, head, nextAt, countInGroupWindow, deadLetter, cancellationToken).ConfigureAwait(false);
        if (depth is { } value)
        {
            _metrics.OutboundQueueDepth(value);
        }
        else
        {
            GatewayLog.OutboundHeadChanged(_logger, chatId);
        }
    }

    private Func<CancellationToken, Task> RetryLater(long chatId, string head, QueuedMessage updated, DateTimeOffset dueAt, bool floodWait = false)
    {
        _metrics.Outbound(updated.Parked ? "parked" : "retried");
        if (updated.Parked)
        {
            GatewayLog.OutboundParked(_logger, chatId, updated.IdempotencyKey, dueAt);
        }

        var serialized = updated.Serialize();
        return async ct =>
        {
            if (!await _store.RescheduleAsync(chatId, head, serialized, dueAt, updated.Parked, ct, floodWait).ConfigureAwait(false))
            {
                GatewayLog.OutboundHeadChanged(_logger, chatId);
            }
        };
    }

    private static bool IsMarkupError(Exception exception, QueuedMessage message) =>
        exception.ErrorCode() == 400 && message.ParseMode is not null
        && exception.Message.Contains("can't parse entities", StringComparison.OrdinalIgnoreCase);
}
