using System.Collections.Concurrent;
using Atlas.ServiceDefaults.Messaging;
using MassTransit;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// The test playing another service on the gateway's virtual host: it answers the gateway's requests (LlmRouter,
/// Workflow) and records what the gateway publishes (MessagePosted), each on its own queue.
/// </summary>
public sealed class PeerBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private PeerBus(IBusControl bus) => _bus = bus;

    public IBus Bus => _bus;

    /// <summary>Starts a bus whose endpoints <paramref name="configure"/> declares (use <see cref="QueueName"/> for their names).</summary>
    public static async Task<PeerBus> StartAsync(string connectionString, Action<IRabbitMqBusFactoryConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var connection = RabbitMqConnection.Parse(connectionString);
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(connection.Host, connection.Port, connection.VirtualHost, host =>
            {
                host.Username(connection.Username);
                host.Password(connection.Password);
            });
            configure(rabbit);
        });
        await bus.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new PeerBus(bus);
    }

    /// <summary>
    /// Plays the service that answers <typeparamref name="TRequest"/> (LlmRouter, Workflow): every request is added
    /// to <paramref name="asked"/> first, then answered with what <paramref name="answer"/> makes of it.
    /// </summary>
    public static Task<PeerBus> AnswerAsync<TRequest, TResponse>(
        string connectionString, string peer, Func<TRequest, TResponse> answer, ConcurrentQueue<TRequest>? asked = null)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(answer);
        return StartAsync(connectionString, bus => bus.ReceiveEndpoint(QueueName(peer), e =>
            e.Handler<TRequest>(async context =>
            {
                asked?.Enqueue(context.Message);
                await context.RespondAsync(answer(context.Message));
            })));
    }

    /// <summary>A queue name of this test's own.</summary>
    public static string QueueName(string what) => $"test-{what}-{Guid.NewGuid():N}";

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}

/// <summary>Messages a peer received, with their MassTransit MessageId.</summary>
public sealed class Received<T>
    where T : class
{
    private readonly ConcurrentQueue<(Guid? MessageId, T Message)> _items = new();

    public IReadOnlyList<(Guid? MessageId, T Message)> Items => [.. _items];

    public Task Add(ConsumeContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _items.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}
