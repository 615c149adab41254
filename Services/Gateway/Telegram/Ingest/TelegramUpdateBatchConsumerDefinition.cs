using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// The ingest queue: a quorum queue (replicated and durable on a cluster, and its publisher confirm means the update
/// is on disk), <see cref="IngestOptions.BatchesInFlight"/> batches handled and prefetched at once. Ordering within a
/// chat and the short retries live in the consumer, because MassTransit dispatches deliveries concurrently and its
/// retry filter would let later updates of a chat overtake a failing one.
/// </summary>
internal sealed class TelegramUpdateBatchConsumerDefinition : ConsumerDefinition<TelegramUpdateBatchConsumer>
{
    private readonly int _batches;

    public TelegramUpdateBatchConsumerDefinition(IOptions<IngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _batches = options.Value.BatchesInFlight;
        ConcurrentMessageLimit = _batches;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TelegramUpdateBatchConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.PrefetchCount = _batches;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }
    }
}
