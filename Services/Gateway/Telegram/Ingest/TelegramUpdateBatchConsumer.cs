using System.Collections.Concurrent;
using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Api;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// Handles one <see cref="TelegramUpdateBatch"/>: the update ids are claimed in one Redis call (an update handled
/// before is skipped), the batch is split by chat, and <see cref="ChatSequencer"/> runs each chat's updates in order
/// after that chat's updates from earlier batches, the chats concurrently (at most
/// <see cref="IngestOptions.ConcurrencyLimit"/> handlers at once). The batch's plain group messages have their
/// memberships recorded in one round trip first (<see cref="GroupMessageBatch"/>), and each chat's <c>MessagePosted</c>
/// events are published once its updates ran, then marked handled in one Redis call. Short retries run inside the chat's turn, so a failing
/// update is not overtaken; one that cannot reach the broker is retried until the broker is back. Each update's
/// failure is its own: the others of the batch are handled and marked, and only then does the batch go to the error
/// queue, where moving it back runs the failed updates alone (the rest are recognised as handled).
/// </summary>
internal sealed class TelegramUpdateBatchConsumer(
    IUpdateHandler handler, GroupMessageBatch groupMessages, UpdateDeduplicator deduplicator, ChatSequencer sequencer, HandlerSlots slots,
    IngestDrain drain, IngestRetry retry, IBus bus, IOptions<IngestOptions> options, TimeProvider time,
    GatewayMetrics metrics, ILogger<TelegramUpdateBatchConsumer> logger)
    : IConsumer<TelegramUpdateBatch>
{
    public async Task Consume(ConsumeContext<TelegramUpdateBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var received = context.Message.Updates ?? [];
        var cancellationToken = context.CancellationToken;
        try
        {
            var updates = Decode(received);
            var chats = updates.GroupBy(u => u.ChatKey).Select(chat => chat.ToArray()).ToList();
            // The place in line first, before any I/O, so the batches after this one never wait for it to be slow.
            var delivery = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit : null;
            var entry = sequencer.Enter(delivery?.ConsumerTag, delivery?.DeliveryTag, [.. chats.Select(chat => chat[0].ChatKey)]);
            BatchClaim claims;
            try
            {
                claims = await deduplicator.ClaimBatchAsync([.. updates.Select(u => u.UpdateId)]).ConfigureAwait(false);
            }
            catch
            {
                sequencer.Abandon(entry);
                throw;
            }

            await using (claims.ConfigureAwait(false))
            {
                var failures = new ConcurrentQueue<Exception>();
                IngestBatch batch;
                try
                {
                    // The claimed group messages' memberships in one round trip; their handlers then only publish.
                    batch = await groupMessages.RecordAsync(
                        [.. updates.Where(u => claims.StateOf(u.UpdateId) == ClaimState.Claimed).Select(u => u.Update)], cancellationToken)
                        .ConfigureAwait(false);
                }
                catch
                {
                    sequencer.Abandon(entry);
                    throw;
                }

                await sequencer.RunAsync(
                    entry, [.. chats.Select(chat => (Func<Task>)(() => RunChatAsync(chat, batch, claims, failures, cancellationToken)))], cancellationToken)
                    .ConfigureAwait(false);
                if (!failures.IsEmpty)
                {
                    throw new AggregateException($"{failures.Count} of the batch's {received.Count} updates failed after their retries.", failures);
                }
            }
        }
        finally
        {
            foreach (var update in received)
            {
                drain.Settled(update.UpdateId);
            }
        }
    }

    private List<Decoded> Decode(IReadOnlyList<TelegramUpdateReceived> received)
    {
        var decoded = new List<Decoded>(received.Count);
        var seen = new HashSet<long>();
        foreach (var item in received)
        {
            // One update twice in a batch (a webhook retry and a poll, or Telegram's own retry, in one group commit).
            if (!seen.Add(item.UpdateId))
            {
                SkipDuplicate(item.UpdateId);
                continue;
            }

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

    // The chat's MessagePosted events, left by its handlers, go out in its order once its updates of the batch ran,
    // still inside its turn (so the chat's later updates publish after them), then are marked handled in one Redis
    // call. Until the broker confirmed an event, its update stays claimed but unmarked: a failure leaves it to the
    // redelivery, like any other failed update. Only this chat waits for its events; the batch's other chats do not.
    private async Task PublishChatEventsAsync(
        Decoded[] chat, IngestBatch batch, BatchClaim claims, ConcurrentQueue<Exception> failures, CancellationToken cancellationToken)
    {
        var posted = batch.PostedOf(chat.Select(u => u.UpdateId));
        if (posted.Count == 0)
        {
            return;
        }

        try
        {
            await retry.RunAsync(posted[0].UpdateId, async () =>
            {
                foreach (var message in posted.Where(m => !batch.WasPublished(m.UpdateId)))
                {
                    // Bounded by the publish timeout: a publish stuck past it must not hold the consume, or the endpoint.
                    await bus.PublishWithinAsync(
                        message, publish => publish.MessageId = GroupMessageHandler.MessageIdOf(message), options.Value.PublishTimeout, time, cancellationToken)
                        .ConfigureAwait(false);
                    batch.MarkPublished(message.UpdateId);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            GatewayLog.UpdateFailed(logger, exception, posted[0].UpdateId);
            failures.Enqueue(exception);
        }

        await claims.CompleteManyAsync([.. posted.Where(p => batch.WasPublished(p.UpdateId)).Select(p => p.UpdateId)]).ConfigureAwait(false);
    }

    private async Task RunChatAsync(Decoded[] updates, IngestBatch batch, BatchClaim claims, ConcurrentQueue<Exception> failures, CancellationToken cancellationToken)
    {
        foreach (var update in updates)
        {
            try
            {
                await slots.RunAsync(
                    () => retry.RunAsync(update.UpdateId, () => HandleOnceAsync(update.Update, batch, claims, cancellationToken), cancellationToken),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                GatewayLog.UpdateFailed(logger, exception, update.UpdateId);
                failures.Enqueue(exception);
            }
        }

        await PublishChatEventsAsync(updates, batch, claims, failures, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleOnceAsync(Update update, IngestBatch batch, BatchClaim claims, CancellationToken cancellationToken)
    {
        switch (claims.StateOf(update.UpdateId))
        {
            case ClaimState.Handled:
                SkipDuplicate(update.UpdateId);
                return;
            case ClaimState.Claimed when !claims.TryBegin(update.UpdateId):
                // Handed over to an earlier batch holding another copy, which handled it in its turn.
                SkipDuplicate(update.UpdateId);
                return;
            case ClaimState.Claimed:
                await handler.HandleAsync(update, batch, cancellationToken).ConfigureAwait(false);
                if (!batch.IsDeferred(update.UpdateId))
                {
                    await claims.CompleteAsync(update.UpdateId).ConfigureAwait(false);
                }

                return;
            case ClaimState.Unguarded:
                await handler.HandleAsync(update, batch, cancellationToken).ConfigureAwait(false);
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
