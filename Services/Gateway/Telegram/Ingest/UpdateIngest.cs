using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Api;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>What became of an update handed to <see cref="UpdateIngest"/>.</summary>
public enum IngestOutcome
{
    /// <summary>On the bus (the broker confirmed it).</summary>
    Published,

    /// <summary>Handled before: not published again.</summary>
    Duplicate,
}

/// <summary>
/// The one door both receivers (poller and webhook) use: count the update, skip it when it was handled already, and
/// publish <see cref="TelegramUpdateReceived"/> with a MessageId derived from update_id. It returns once the broker
/// has the message and never waits for handlers. A broker that does not confirm within
/// <see cref="IngestOptions.PublishTimeout"/> surfaces as <see cref="BusUnavailableException"/>.
/// </summary>
internal sealed class UpdateIngest(
    IBus bus, UpdateDeduplicator deduplicator, IngestDrain drain, GatewayMetrics metrics, TimeProvider time, IOptions<IngestOptions> options,
    ILogger<UpdateIngest> logger)
{
    private readonly TimeSpan _publishTimeout = options.Value.PublishTimeout;

    public async Task<IngestOutcome> AcceptAsync(Update update, string rawJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        metrics.UpdateReceived(update.Type);
        if (await deduplicator.IsHandledAsync(update.UpdateId).ConfigureAwait(false))
        {
            metrics.UpdateDropped("duplicate");
            GatewayLog.DuplicateAtEdge(logger, update.UpdateId);
            return IngestOutcome.Duplicate;
        }

        var message = ToMessage(update, rawJson, time.GetUtcNow());
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_publishTimeout);
        try
        {
            await bus.Publish(message, Prepare, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BusUnavailableException($"The broker did not confirm update {update.UpdateId} within {_publishTimeout.TotalSeconds:0.#} s.", exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not BusUnavailableException)
        {
            throw new BusUnavailableException($"Update {update.UpdateId} could not be published: {exception.GetType().Name}.", exception);
        }

        drain.Published(update.UpdateId);
        return IngestOutcome.Published;
    }

    // Mandatory: when no queue is bound yet (a fresh broker before the consumer's endpoint is up) the broker returns
    // the message and the publish fails, so the update is retried by its sender instead of silently dropped.
    private static void Prepare(PublishContext<TelegramUpdateReceived> context)
    {
        context.MessageId = UpdateMessageId.For(context.Message.UpdateId);
        context.Mandatory = true;
    }

    private static TelegramUpdateReceived ToMessage(Update update, string rawJson, DateTimeOffset receivedAt)
    {
        var chat = update.Chat;
        var from = update.From;
        var message = update.Message ?? update.EditedMessage ?? update.ChannelPost;
        var text = message?.Text ?? message?.Caption ?? update.CallbackQuery?.Data;
        return new TelegramUpdateReceived(
            update.UpdateId, update.Type, chat?.Id, chat?.Type, from?.Id, from?.LanguageCode, text, rawJson, receivedAt);
    }
}
