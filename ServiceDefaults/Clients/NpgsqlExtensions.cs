using Atlas.ServiceDefaults.Clients;
using Atlas.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>PostgreSQL client registration mirroring Aspire's <c>AddNpgsqlDataSource</c>.</summary>
public static class NpgsqlExtensions
{
    /// <summary>
    /// Registers an <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:&lt;name&gt;</c> (logging and tracing
    /// through the host's logger and OpenTelemetry) and a readiness check named <c>postgres</c>.
    /// </summary>
    public static TBuilder AddNpgsqlDataSource<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = ConnectionStrings.Require(builder.Configuration, connectionName);
        builder.Services.AddNpgsqlDataSource(connectionString, dataSource => dataSource.Name = connectionName);
        builder.Services.AddHealthChecks().AddCheck<NpgsqlHealthCheck>("postgres", failureStatus: null, tags: [HealthTags.Ready], timeout: HealthTags.CheckTimeout);
        return builder;
    }
}
