using Atlas.Contracts.Diagnostics;
using Atlas.ServiceDefaults.Messaging;
using MassTransit;

namespace Atlas.Testing;

/// <summary>A bus client of the test's own, on the same virtual host as the service under test.</summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private TestBus(IBusControl bus) => _bus = bus;

    public IBus Bus => _bus;

    public static async Task<TestBus> StartAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var connection = RabbitMqConnection.Parse(connectionString);
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(connection.Host, connection.Port, connection.VirtualHost, host =>
        {
            host.Username(connection.Username);
            host.Password(connection.Password);
        }));
        await bus.StartAsync(cancellationToken).ConfigureAwait(false);
        return new TestBus(bus);
    }

    /// <summary>Sends <see cref="Ping"/> to a service's own ping queue and returns its <see cref="Pong"/>.</summary>
    public async Task<Pong> PingAsync(string service, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var client = _bus.CreateRequestClient<Ping>(BusEndpoints.Ping(service), RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
        var response = await client.GetResponse<Pong>(new Ping("tests", DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        return response.Message;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync().ConfigureAwait(false);
}
