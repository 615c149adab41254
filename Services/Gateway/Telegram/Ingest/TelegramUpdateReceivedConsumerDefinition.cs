using Atlas.Contracts.Telegram;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// Sequential within a chat, concurrent across chats: a partitioner keyed by chat id (update id when the update has
/// no chat) runs at most <see cref="IngestOptions.ConcurrencyLimit"/> handlers at once, one per partition. Short
/// retries run inside the partition, so a failing update holds back later updates of its chat instead of being
/// overtaken by them.
/// </summary>
internal sealed class TelegramUpdateReceivedConsumerDefinition : ConsumerDefinition<TelegramUpdateReceivedConsumer>
{
    private readonly int _partitions;

    public TelegramUpdateReceivedConsumerDefinition(IOptions<IngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _partitions = options.Value.ConcurrencyLimit;
        // Room for updates waiting on their chat's partition, so one busy chat does not starve the others.
        ConcurrentMessageLimit = _partitions * 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TelegramUpdateReceivedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        endpointConfigurator.PrefetchCount = _partitions * 4;
        var partitioner = endpointConfigurator.CreatePartitioner(_partitions);
        consumerConfigurator.Message<TelegramUpdateReceived>(message =>
            message.UsePartitioner(partitioner, static c => c.Message.ChatId ?? c.Message.UpdateId));
        consumerConfigurator.UseMessageRetry(retry => retry.Intervals(100, 500, 1000));
    }
}
