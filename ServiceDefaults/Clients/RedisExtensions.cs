using Atlas.ServiceDefaults.Clients;
using Atlas.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Microsoft.Extensions.Hosting;

/// <summary>Redis client registration mirroring Aspire's <c>AddRedisClient</c>.</summary>
public static class RedisExtensions
{
    /// <summary>
    /// Registers one <see cref="IConnectionMultiplexer"/> for <c>ConnectionStrings:&lt;name&gt;</c> and a readiness
    /// check named <c>redis</c>. The service starts even while Redis is down (the multiplexer reconnects in the
    /// background) so that it can say so on <c>/readyz</c>. <see cref="IDatabase"/> is registered too, with the
    /// optional key prefix <c>Redis:KeyPrefix</c> applied (tests use it to keep their keys apart).
    /// </summary>
    public static TBuilder AddRedisClient<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = ConfigurationOptions.Parse(ConnectionStrings.Require(builder.Configuration, connectionName));
        options.AbortOnConnectFail = false;
        options.ClientName ??= builder.Environment.ApplicationName;
        var keyPrefix = builder.Configuration["Redis:KeyPrefix"];

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddSingleton(sp =>
        {
            var database = sp.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
            return string.IsNullOrEmpty(keyPrefix) ? database : database.WithKeyPrefix(keyPrefix);
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus: null, tags: [HealthTags.Ready], timeout: HealthTags.CheckTimeout);
        return builder;
    }
}
