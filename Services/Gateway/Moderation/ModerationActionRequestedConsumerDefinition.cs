using Atlas.Gateway.Telegram.Api;
using MassTransit;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// Telegram flood waits, server errors and network failures are retried with growing pauses while the message stays
/// unacknowledged on the broker (a crash redelivers it); anything else faults at once.
/// </summary>
public sealed class ModerationActionRequestedConsumerDefinition : ConsumerDefinition<ModerationActionRequestedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ModerationActionRequestedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<TelegramApiException>(exception => exception.IsTransient);
            retry.Handle<HttpRequestException>();
            retry.Handle<TimeoutException>();
            retry.Handle<Npgsql.NpgsqlException>(exception => exception.IsTransient);
            retry.Intervals(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
        });
    }
}
