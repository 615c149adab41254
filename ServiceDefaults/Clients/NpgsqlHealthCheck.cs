using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Atlas.ServiceDefaults.Clients;

/// <summary>Healthy when the service's database answers <c>SELECT 1</c>.</summary>
internal sealed class NpgsqlHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            var reason = exception is PostgresException postgres ? $"{postgres.SqlState} {postgres.MessageText}" : exception.GetType().Name;
            return new HealthCheckResult(context.Registration.FailureStatus, reason);
        }
    }
}
