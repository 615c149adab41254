using Atlas.ServiceDefaults;
using Atlas.ServiceDefaults.Clients;
using Atlas.ServiceDefaults.Health;
using Atlas.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>The bus: MassTransit over RabbitMQ from <c>ConnectionStrings:rabbitmq</c>.</summary>
public static class BusExtensions
{
    private const string ConnectionName = "rabbitmq";

    /// <summary>How long a consume cancelled by a lost connection may take to end before it is given up.</summary>
    public const string StuckConsumeGraceKey = "Messaging:StuckConsumeGrace";

    /// <summary>
    /// Registers MassTransit on RabbitMQ with kebab-case endpoints prefixed by the service name, short in-memory
    /// retries, the <see cref="PingConsumer"/>, and a readiness check named <c>rabbitmq</c>. The service lists its
    /// own consumers in <paramref name="configure"/>. A consume cancelled by a lost connection that does not end within
    /// <c>Messaging:StuckConsumeGrace</c> (10 s by default) is given up, so its endpoint can reconnect
    /// (<see cref="StuckConsumeGuard"/>).
    /// </summary>
    public static TBuilder AddAtlasBus<TBuilder>(this TBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connection = RabbitMqConnection.Parse(ConnectionStrings.Require(builder.Configuration, ConnectionName));
        var serviceName = ServiceIdentity.From(builder.Environment, builder.Configuration).Name;
        var stuckConsumeGrace = builder.Configuration.GetValue(StuckConsumeGraceKey, StuckConsumeGuard.DefaultGrace);
        if (stuckConsumeGrace <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{StuckConsumeGraceKey} must be a positive time span, such as 00:00:10.");
        }

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
                // Outermost, so it also bounds a cancelled consume that is waiting between retries.
                rabbit.UseFilter(new StuckConsumeGuard(
                    stuckConsumeGrace,
                    context.GetService<TimeProvider>() ?? TimeProvider.System,
                    context.GetRequiredService<ILoggerFactory>().CreateLogger<StuckConsumeGuard>()));
                rabbit.UseMessageRetry(retry => retry.Intervals(100, 500, 1000));
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
