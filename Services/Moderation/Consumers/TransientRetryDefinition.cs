using MassTransit;

namespace Atlas.Moderation.Consumers;

/// <summary>
/// PostgreSQL, Redis or the broker being away is waited out with growing pauses (about ten minutes in all) while the
/// message stays unacknowledged on the broker, so nothing is lost and a crash redelivers it; anything else faults
/// after the bus's short retries.
/// </summary>
public sealed class TransientRetryDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<Npgsql.NpgsqlException>(exception => exception is not Npgsql.PostgresException postgres || IsUnavailable(postgres.SqlState));
            retry.Handle<StackExchange.Redis.RedisException>();
            retry.Handle<TimeoutException>();
            retry.Intervals(
                TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10),
                TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(300));
        });
    }

    // Connection failures, server shutting down or out of resources; not a bad query.
    private static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57P", StringComparison.Ordinal) || sqlState == "55000" || sqlState == "40001" || sqlState == "40P01";
}
