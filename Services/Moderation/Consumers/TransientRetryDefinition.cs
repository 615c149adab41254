using Atlas.Moderation.Settings;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Moderation.Consumers;

/// <summary>
/// PostgreSQL, Redis or the broker being away is waited out for as long as it lasts: the message stays unacknowledged
/// on the broker (the rest of the queue waits behind it, in the queue, not in <c>_error</c>) and is tried again with
/// pauses growing from 200 ms to <see cref="ModerationOptions.OutageRetryMaxInterval"/>; a crash meanwhile redelivers
/// it. Anything else (a bad message, a bug) faults to <c>_error</c> after the bus's few short retries instead of blocking the queue.
/// Up to <see cref="ModerationOptions.ConcurrentMessageLimit"/> events are worked on at once.
/// </summary>
public sealed class TransientRetryDefinition<TConsumer>(IOptions<ModerationOptions> options) : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly TimeSpan _maxInterval = options.Value.OutageRetryMaxInterval;
    private readonly int _limit = options.Value.ConcurrentMessageLimit;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.PrefetchCount = _limit;
        endpointConfigurator.ConcurrentMessageLimit = _limit;
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<Npgsql.NpgsqlException>(Outages.IsDatabaseOutage);
            retry.Handle<StackExchange.Redis.RedisException>();
            retry.Handle<TimeoutException>();
            retry.Exponential(int.MaxValue, TimeSpan.FromMilliseconds(200), _maxInterval, TimeSpan.FromMilliseconds(400));
        });
    }
}
