using Atlas.Gateway.Telegram.Client;
using MassTransit;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// Telegram flood waits, server errors and network failures are retried with growing pauses (about ten minutes in all)
/// while the message stays unacknowledged on the broker, so a crash redelivers it; a retry during a flood wait returns
/// at once without calling Telegram. Anything else faults at once.
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
            retry.Handle<Exception>(exception => exception.IsTransientTelegramFailure());
            retry.Handle<FloodWaitPendingException>();
            retry.Handle<Npgsql.NpgsqlException>(exception => exception.IsTransient);
            retry.Intervals(
                TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30),
                TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(300));
        });
    }
}
