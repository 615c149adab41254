using System.Collections.Concurrent;
using Atlas.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults.Tests.Messaging;

/// <summary>A message for <see cref="StuckConsumeRecovery"/>; its first delivery waits deaf to cancellation.</summary>
public sealed record DeafProbe(Guid Id);

/// <summary>
/// A consume that ignores its cancellation (as one queued behind RabbitMQ.Client's never-released channel lock did)
/// must not keep its receive endpoint down once the connection is lost: after the grace the consume is given up,
/// the endpoint reconnects, and the message is delivered again.
/// </summary>
public sealed class StuckConsumeRecovery
{
    private const string Service = "stuckguard";
    private const string Queue = Service + "-deaf";

    [Fact]
    public async Task A_consume_deaf_to_cancellation_is_given_up_so_its_endpoint_reconnects_and_the_message_comes_again()
    {
        await using var broker = await PrivateRabbitMq.StartAsync();
        var deliveries = new Deliveries();
        using var host = BuildHost(broker.ConnectionString, grace: "00:00:02", deliveries);
        await host.StartAsync();
        try
        {
            // The host's start does not wait for the bus: a message published before the queue is bound would be dropped.
            await Eventually.PollAsync(() => broker.ConsumersOfAsync(Queue), consumers => consumers == 1, TimeSpan.FromSeconds(60));
            var bus = host.Services.GetRequiredService<IBus>();
            var stuck = Guid.NewGuid();
            await bus.Publish(new DeafProbe(stuck));
            await deliveries.WaitForAsync(stuck, times: 1);

            await broker.CloseConnectionsAsync();

            // Without the guard the endpoint waits for ever on the deaf consume: no second delivery, no consumer.
            await deliveries.WaitForAsync(stuck, times: 2);
            var later = Guid.NewGuid();
            await bus.Publish(new DeafProbe(later));
            await deliveries.WaitForAsync(later, times: 1);
            (await broker.ConsumersOfAsync(Queue)).Should().Be(1);
        }
        finally
        {
            // The given-up consume ends now; the host then stops without waiting on it.
            deliveries.Release();
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    public void A_grace_that_is_not_positive_is_refused_at_start_with_the_setting_named(string grace)
    {
        var building = () => BuildHost("amqp://guest:guest@127.0.0.1:5672/", grace, new Deliveries());

        building.Should().Throw<InvalidOperationException>().WithMessage("*Messaging:StuckConsumeGrace*positive*");
    }

    private static IHost BuildHost(string rabbitMq, string grace, Deliveries deliveries)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:rabbitmq"] = rabbitMq;
        builder.Configuration["OTEL_SERVICE_NAME"] = Service;
        builder.Configuration[BusExtensions.StuckConsumeGraceKey] = grace;
        builder.Services.AddSingleton(deliveries);
        builder.AddAtlasBus(bus => bus.AddConsumer<DeafConsumer>());
        return builder.Build();
    }

    public sealed class Deliveries
    {
        private readonly ConcurrentDictionary<Guid, int> _counts = new();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Counts a delivery; the first of each message then waits, deaf to cancellation, until released.</summary>
        public Task ReceivedAsync(Guid id) => _counts.AddOrUpdate(id, 1, (_, count) => count + 1) == 1 ? _released.Task : Task.CompletedTask;

        public void Release() => _released.TrySetResult();

        public Task WaitForAsync(Guid id, int times) =>
            Eventually.PollAsync(() => Task.FromResult(_counts.GetValueOrDefault(id)), count => count >= times, TimeSpan.FromSeconds(60));
    }

    public sealed class DeafConsumer(Deliveries deliveries) : IConsumer<DeafProbe>
    {
        public Task Consume(ConsumeContext<DeafProbe> context) => deliveries.ReceivedAsync(context.Message.Id);
    }
}
