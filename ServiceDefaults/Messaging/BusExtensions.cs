using Atlas.ServiceDefaults;
using Atlas.ServiceDefaults.Clients;
using Atlas.ServiceDefaults.Health;
using Atlas.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>The bus: MassTransit over RabbitMQ from <c>ConnectionStrings:rabbitmq</c>.</summary>
public static class BusExtensions
{
    private const string ConnectionName = "rabbitmq";

    /// <summary>
    /// Registers MassTransit on RabbitMQ with kebab-case endpoints prefixed by the service name, short in-memory
    /// retries, the <see cref="PingConsumer"/>, and a readiness check named <c>rabbitmq</c>. The service lists its
    /// own consumers in <paramref name="configure"/>.
    /// </summary>
    public static TBuilder AddAtlasBus<TBuilder>(this TBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connection = RabbitMqConnection.Parse(ConnectionStrings.Require(builder.Configuration, ConnectionName));
        var serviceName = ServiceIdentity.From(builder.Environment, builder.Configuration).Name;

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName + "-", includeNamespace: false));
            bus.AddConsumer<PingConsumer>();
            configure?.Invoke(bus);

            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = ConnectionName;
                health.MinimalFailureStatus = HealthStatus.Unhealthy;
                health.Tags.Clear();
                health.Tags.Add(HealthTags.Ready);
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(connection.Host, connection.Port, connection.VirtualHost, host =>
                {
                    host.Username(connection.Username);
                    host.Password(connection.Password);
                    host.ConnectionName(serviceName);
                    if (connection.UseTls)
                    {
                        host.UseSsl(tls => tls.ServerName = connection.Host);
                    }
                });
                rabbit.UseMessageRetry(retry => retry.Intervals(100, 500, 1000));
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
