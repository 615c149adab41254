using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Atlas.ServiceDefaults.Clients;

/// <summary>Healthy when Redis answers PING.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "not connected");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (RedisException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception.GetType().Name);
        }
    }
}
