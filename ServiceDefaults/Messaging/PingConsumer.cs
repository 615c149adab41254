using Atlas.Contracts.Diagnostics;
using MassTransit;

namespace Atlas.ServiceDefaults.Messaging;

/// <summary>Answers <see cref="Ping"/> with a <see cref="Pong"/> naming this service. Every service has one, on its own queue.</summary>
public sealed class PingConsumer(ServiceIdentity identity, TimeProvider time) : IConsumer<Ping>
{
    public Task Consume(ConsumeContext<Ping> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RespondAsync(new Pong(identity.Name, identity.InstanceId, identity.Version, time.GetUtcNow()));
    }
}
