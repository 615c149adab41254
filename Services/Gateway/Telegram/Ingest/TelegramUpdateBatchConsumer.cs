using System.Collections.Concurrent;
using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Api;
using MassTransit;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// Handles one <see cref="TelegramUpdateBatch"/>: the update ids are claimed in one Redis call (an update handled
/// before is skipped), the batch is split by chat, and <see cref="ChatSequencer"/> runs each chat's updates in order
/// after that chat's updates from earlier batches, the chats concurrently (at most
/// <see cref="IngestOptions.ConcurrencyLimit"/> handlers at once). The batch's plain group messages have their
/// memberships recorded in one round trip first (<see cref="GroupMessageBatch"/>). Short retries run inside the chat's turn, so a failing
/// update is not overtaken; one that cannot reach the broker is retried until the broker is back. Each update's
/// failure is its own: the others of the batch are handled and marked, and only then does the batch go to the error
/// queue, where moving it back runs the failed updates alone (the rest are recognised as handled).
/// </summary>
internal sealed class TelegramUpdateBatchConsumer(
    IUpdateHandler handler, GroupMessageBatch groupMessages, UpdateDeduplicator deduplicator, ChatSequencer sequencer, HandlerSlots slots,
    IngestDrain drain,
    GatewayMetrics metrics, TimeProvider time, ILogger<TelegramUpdateBatchConsumer> logger)
    : IConsumer<TelegramUpdateBatch>
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    public async Task Consume(ConsumeContext<TelegramUpdateBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var received = context.Message.Updates ?? [];
        var cancellationToken = context.CancellationToken;
        try
        {
            var updates = Decode(received);
            await using var claims = await deduplicator.ClaimBatchAsync([.. updates.Select(u => u.UpdateId)]).ConfigureAwait(false);
            // The claimed group messages' memberships in one round trip; their handlers then only publish.
            await groupMessages.RecordAsync(
                [.. updates.Where(u => claims.StateOf(u.UpdateId) == ClaimState.Claimed).Select(u => u.Update)], cancellationToken).ConfigureAwait(false);
            var failures = new ConcurrentQueue<Exception>();
            var chats = updates
                .GroupBy(u => u.ChatKey)
                .Select(chat => new ChatWork(chat.Key, () => RunChatAsync([.. chat], claims, failures, cancellationToken)))
                .ToList();
            var delivery = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit : null;
            await sequencer.RunAsync(delivery?.ConsumerTag, delivery?.DeliveryTag, chats, cancellationToken).ConfigureAwait(false);
            if (!failures.IsEmpty)
            {
                throw new AggregateException($"{failures.Count} of the batch's {received.Count} updates failed after their retries.", failures);
            }
        }
        finally
        {
            groupMessages.Forget(received.Select(u => u.UpdateId));
            foreach (var update in received)
            {
                drain.Settled(update.UpdateId);
            }
        }
    }

    private List<Decoded> Decode(IReadOnlyList<TelegramUpdateReceived> received)
    {
        var decoded = new List<Decoded>(received.Count);
        foreach (var item in received)
        {
            if (UpdateJson.TryParse(item.RawJson ?? "", out var error) is not { } update)
            {
                metrics.UpdateDropped("malformed");
                GatewayLog.UndecodableUpdate(logger, item.UpdateId, error);
                continue;
            }

            decoded.Add(new Decoded(update, item.ChatId ?? update.Chat?.Id ?? update.UpdateId));
        }

        return decoded;
    }

    private async Task RunChatAsync(Decoded[] updates, BatchClaim claims, ConcurrentQueue<Exception> failures, CancellationToken cancellationToken)
    {
        foreach (var update in updates)
        {
            try
            {
                await slots.RunAsync(() => HandleWithRetriesAsync(update.Update, claims, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                GatewayLog.UpdateFailed(logger, exception, update.UpdateId);
                failures.Enqueue(exception);
            }
        }
    }

    private async Task HandleWithRetriesAsync(Update update, BatchClaim claims, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await HandleOnceAsync(update, claims, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException
                && (attempt < RetryDelays.Length || BrokerFailures.IsBrokerUnavailable(exception)))
            {
                GatewayLog.UpdateRetrying(logger, exception, update.UpdateId, attempt + 1);
                await Task.Delay(RetryDelays[Math.Min(attempt, RetryDelays.Length - 1)], time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task HandleOnceAsync(Update update, BatchClaim claims, CancellationToken cancellationToken)
    {
        switch (claims.StateOf(update.UpdateId))
        {
            case ClaimState.Handled:
                SkipDuplicate(update.UpdateId);
                return;
            case ClaimState.Claimed:
                await handler.HandleAsync(update, cancellationToken).ConfigureAwait(false);
                await claims.CompleteAsync(update.UpdateId).ConfigureAwait(false);
                return;
            case ClaimState.Unguarded:
                await handler.HandleAsync(update, cancellationToken).ConfigureAwait(false);
                return;
        }

        // Another copy is running (a second instance, or Telegram's retry that reached an earlier batch): wait for it.
        await using var claim = await deduplicator.ClaimAsync(update.UpdateId, cancellationToken).ConfigureAwait(false);
        if (claim.IsDuplicate)
        {
            SkipDuplicate(update.UpdateId);
            return;
        }

        await handler.HandleAsync(update, cancellationToken).ConfigureAwait(false);
        await claim.CompleteAsync().ConfigureAwait(false);
    }

    private void SkipDuplicate(long updateId)
    {
        metrics.UpdateDropped("duplicate");
        GatewayLog.DuplicateUpdate(logger, updateId);
    }

    private sealed record Decoded(Update Update, long ChatKey)
    {
        public long UpdateId => Update.UpdateId;
    }
}
