using Atlas.Gateway.Diagnostics;
using StackExchange.Redis;

namespace Atlas.Gateway.State;

/// <summary>
/// The handling side's door to Redis (keys under <c>gateway:</c>, with the configured test prefix). While Redis is
/// not connected it does not wait for the client's connect timeout: callers get their fallback at once and decide
/// how to degrade.
/// </summary>
public sealed class RedisGuard(IConnectionMultiplexer connection, IDatabase database, ILogger<RedisGuard> logger)
{
    /// <summary>Whether Redis is connected right now.</summary>
    public bool IsAvailable => connection.IsConnected;

    public IDatabase Database => database;

    /// <summary>Runs <paramref name="operation"/>; returns (false, <paramref name="fallback"/>) when Redis is down or fails.</summary>
    public async Task<(bool Available, T Value)> TryAsync<T>(string name, Func<IDatabase, Task<T>> operation, T fallback)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!connection.IsConnected)
        {
            GatewayLog.RedisUnavailable(logger, name, "not connected");
            return (false, fallback);
        }

        try
        {
            return (true, await operation(database).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            GatewayLog.RedisUnavailable(logger, name, exception.GetType().Name);
            return (false, fallback);
        }
    }

    /// <summary>Runs <paramref name="operation"/>; false when Redis is down or fails.</summary>
    public async Task<bool> TryAsync(string name, Func<IDatabase, Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var (available, _) = await TryAsync(
            name,
            async db =>
            {
                await operation(db).ConfigureAwait(false);
                return true;
            },
            false).ConfigureAwait(false);
        return available;
    }
}
