using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using MassTransit;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// Turns a <see cref="TelegramUpdateReceived"/> back into the update and hands it to <see cref="IUpdateHandler"/>, at
/// most once per update_id (see <see cref="UpdateDeduplicator"/>). Its definition keeps one chat's updates in order.
/// </summary>
internal sealed class TelegramUpdateReceivedConsumer(
    IUpdateHandler handler, UpdateDeduplicator deduplicator, IngestDrain drain, GatewayMetrics metrics, ILogger<TelegramUpdateReceivedConsumer> logger)
    : IConsumer<TelegramUpdateReceived>
{
    public async Task Consume(ConsumeContext<TelegramUpdateReceived> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await ConsumeCoreAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            drain.Settled(context.Message.UpdateId);
        }
    }

    private async Task ConsumeCoreAsync(TelegramUpdateReceived received, CancellationToken cancellationToken)
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
