using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Moderation;
using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Telegram.Resilience;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// One run of a claimed chat's next moderation action and what follows from it: carried out or refused (the outcome is
/// recorded and reported by <see cref="ModerationActionExecutor"/>; the action leaves the lane), 429 (the chat's flood
/// state: the action and the chat's messages wait out retry_after; parked beyond <see cref="OutboundOptions.MaxRetryAfter"/>),
/// a group upgraded to a supergroup (the chat's lanes move there), 401 (a steady wait for a rotated token), or anything
/// else that may pass (5xx, network, timeout, database, broker: back off with <see cref="TelegramResilience.Backoff"/>;
/// park past <see cref="OutboundOptions.RetryHorizon"/>). The same schedule as a message's, in the action's own lane.
/// </summary>
internal sealed class ActionAttempt(
    ActionStore store, OutboundStore messages, ModerationActionExecutor executor, GatewayMetrics metrics, OutboundOptions options,
    TimeProvider time, ILogger logger)
{
    private readonly OutboundPersist _persist = new(time, logger);

    /// <summary>Runs the head of <paramref name="chatId"/>'s action lane.</summary>
    /// <param name="stoppingToken">Set when the gateway stops: no new action starts.</param>
    /// <param name="abortToken">Set when stopping takes too long: the action in flight is cut.</param>
    public async Task RunAsync(long chatId, CancellationToken stoppingToken, CancellationToken abortToken)
    {
        var head = stoppingToken.IsCancellationRequested ? null : await store.PeekAsync(chatId, CancellationToken.None).ConfigureAwait(false);
        if (head is null || stoppingToken.IsCancellationRequested)
        {
            await store.ReleaseAsync(chatId, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (QueuedAction.TryDeserialize(head) is not { } queued)
        {
            GatewayLog.OutboundActionUnreadable(logger, chatId, head.Length);
            var dead = new DeadLetter(null, head, "The queued entry is not a moderation action the gateway can read.", null, time.GetUtcNow());
            await _persist.RunAsync(chatId, ct => store.CompleteAsync(chatId, head, dead, ct), abortToken).ConfigureAwait(false);
            return;
        }

        Exception? failure = null;
        using (var activity = GatewayActivity.StartModerationAction(queued.TraceParent, chatId, queued.Action.Action.ToString(), queued.Attempts + 1))
        {
            try
            {
                // The lane's chat, not the request's: a group upgraded to a supergroup moved its actions there.
                await executor.ExecuteAsync(queued.Action with { ChatId = chatId }, abortToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abortToken.IsCancellationRequested)
            {
                // Cut by a stop that took too long: nothing was recorded, so it runs again after the restart (once, by its id).
                await store.ReleaseAsync(chatId, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception exception)
            {
                failure = exception;
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.GetType().Name);
            }
        }

        await _persist.RunAsync(chatId, Decide(chatId, head, queued, failure), abortToken).ConfigureAwait(false);
    }

    private Func<CancellationToken, Task> Decide(long chatId, string head, QueuedAction queued, Exception? failure)
    {
        var now = time.GetUtcNow();
        switch (failure)
        {
            case null:
                return async ct =>
                {
                    if (!await store.CompleteAsync(chatId, head, null, ct).ConfigureAwait(false))
                    {
                        GatewayLog.OutboundActionHeadChanged(logger, chatId);
                    }
                };

            case { } flood when flood.IsFloodWait():
                metrics.FloodWait();
                var wait = flood.WaitBeforeRetry() ?? options.Backoff(queued.Attempts + 1);
                var parked = wait > options.MaxRetryAfter;
                GatewayLog.OutboundActionFloodWait(logger, chatId, queued.Name, flood.RetryAfter() ?? wait, parked);
                return RetryLater(chatId, head, queued.Failed(now, parked), now + wait, floodWait: true);

            case { } migrated when migrated.MigrateToChatId() is { } supergroupId:
                GatewayLog.OutboundActionChatMigrated(logger, chatId, supergroupId, queued.Name);
                return ct => messages.MoveChatAsync(chatId, supergroupId, ct);

            case { } unauthorized when unauthorized.ErrorCode() == 401:
                GatewayLog.OutboundUnauthorized(logger, chatId, queued.Name, options.UnauthorizedRetryDelay);
                return RetryLater(chatId, head, queued.Failed(now, parked: false), now + options.UnauthorizedRetryDelay);

            default:
                var failed = queued.Failed(now, parked: false);
                var (delay, park) = options.NextTry(failed.FailingSince, failed.Attempts, now);
                GatewayLog.OutboundActionRetrying(logger, failure, chatId, queued.Name, failed.Attempts, delay, park);
                return RetryLater(chatId, head, failed with { Parked = park }, now + delay);
        }
    }

    private Func<CancellationToken, Task> RetryLater(long chatId, string head, QueuedAction updated, DateTimeOffset dueAt, bool floodWait = false)
    {
        var serialized = updated.Serialize();
        return async ct =>
        {
            if (!await store.RescheduleAsync(chatId, head, serialized, dueAt, updated.Parked, floodWait, ct).ConfigureAwait(false))
            {
                GatewayLog.OutboundActionHeadChanged(logger, chatId);
            }
        };
    }
}
