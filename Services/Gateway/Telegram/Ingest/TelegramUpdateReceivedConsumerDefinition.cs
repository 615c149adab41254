using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// Up to <see cref="IngestOptions.ConcurrencyLimit"/> updates in progress at once (running, or waiting for their
/// chat's turn in <see cref="ChatSequencer"/>); the broker sends no more than that ahead. Ordering within a chat
/// and the short retries live in the consumer, because MassTransit dispatches deliveries concurrently and its retry
/// filter would let later updates of the chat overtake a failing one.
/// </summary>
internal sealed class TelegramUpdateReceivedConsumerDefinition : ConsumerDefinition<TelegramUpdateReceivedConsumer>
{
    private readonly int _limit;

    public TelegramUpdateReceivedConsumerDefinition(IOptions<IngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limit = options.Value.ConcurrencyLimit;
        ConcurrentMessageLimit = _limit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TelegramUpdateReceivedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.PrefetchCount = _limit;
    }
}
