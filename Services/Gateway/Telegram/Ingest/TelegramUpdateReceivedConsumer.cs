using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using MassTransit;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// Turns a <see cref="TelegramUpdateReceived"/> back into the update and hands it to <see cref="IUpdateHandler"/>: at
/// most once per update_id (<see cref="UpdateDeduplicator"/>), after the earlier updates of its chat
/// (<see cref="ChatSequencer"/>). Short retries run inside the chat's turn, so a failing update is not overtaken.
/// A handler that cannot reach the broker (its publish fails while RabbitMQ restarts) is retried in the turn until
/// the broker is back or the consumer stops: given up, the update would go to the error queue and be lost.
/// </summary>
internal sealed class TelegramUpdateReceivedConsumer(
    IUpdateHandler handler, UpdateDeduplicator deduplicator, ChatSequencer sequencer, IngestDrain drain, GatewayMetrics metrics,
    TimeProvider time, ILogger<TelegramUpdateReceivedConsumer> logger)
    : IConsumer<TelegramUpdateReceived>
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    public async Task Consume(ConsumeContext<TelegramUpdateReceived> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var received = context.Message;
        var delivery = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit : null;
        try
        {
            await sequencer.RunAsync(
                delivery?.ConsumerTag, delivery?.DeliveryTag, received.ChatId ?? received.UpdateId,
                () => ConsumeWithRetriesAsync(received, context.CancellationToken), context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            drain.Settled(received.UpdateId);
        }
    }

    private async Task ConsumeWithRetriesAsync(TelegramUpdateReceived received, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await ConsumeOnceAsync(received, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException
                && (attempt < RetryDelays.Length || BrokerFailures.IsBrokerUnavailable(exception)))
            {
                GatewayLog.UpdateRetrying(logger, exception, received.UpdateId, attempt + 1);
                await Task.Delay(RetryDelays[Math.Min(attempt, RetryDelays.Length - 1)], time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ConsumeOnceAsync(TelegramUpdateReceived received, CancellationToken cancellationToken)
    {
        if (UpdateJson.TryParse(received.RawJson ?? "", out var error) is not { } update)
        {
            metrics.UpdateDropped("malformed");
            GatewayLog.UndecodableUpdate(logger, received.UpdateId, error);
            return;
        }

        await using var claim = await deduplicator.ClaimAsync(update.UpdateId, cancellationToken).ConfigureAwait(false);
        if (claim.IsDuplicate)
        {
            metrics.UpdateDropped("duplicate");
            GatewayLog.DuplicateUpdate(logger, update.UpdateId);
            return;
        }

        await handler.HandleAsync(update, cancellationToken).ConfigureAwait(false);
        await claim.CompleteAsync().ConfigureAwait(false);
    }
}
