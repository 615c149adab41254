using Atlas.ServiceDefaults.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Atlas.ServiceDefaults.Clients;

/// <summary>
/// What Atlas adds on top of Aspire's client integrations (<c>builder.AddRedisClient("redis")</c> from
/// Aspire.StackExchange.Redis, <c>builder.AddNpgsqlDataSource("&lt;db&gt;")</c> from Aspire.Npgsql): their health checks
/// feed <c>/readyz</c> under our names with a timeout, and <see cref="IDatabase"/> carries the optional key prefix.
/// </summary>
internal static class ClientIntegrations
{
    // The integrations' own check names, and the names /readyz reports them under.
    private static readonly Dictionary<string, string> ReadinessNames = new(StringComparer.Ordinal)
    {
        ["StackExchange.Redis"] = "redis",
        ["PostgreSql"] = "postgres",
    };

    public static void AddClientIntegrationDefaults(this IHostApplicationBuilder builder)
    {
        // A span per Redis command drowns the traces (the outbound scheduler polls Redis all the time); a service that
        // wants them sets Aspire:StackExchange:Redis:DisableTracing=false.
        builder.Configuration["Aspire:StackExchange:Redis:DisableTracing"] ??= "true";

        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => ReadinessNames.ContainsKey(r.Name)))
            {
                registration.Name = ReadinessNames[registration.Name];
                registration.Tags.Add(HealthTags.Ready);
                registration.Timeout = HealthTags.CheckTimeout;
                registration.FailureStatus = HealthStatus.Unhealthy;
            }
        });

        // Aspire's Redis client starts without a connection string and only fails later: stop the start instead, naming the key.
        builder.Services.AddHostedService(sp => new RequiredConnectionStrings(sp, builder.Configuration));

        // Resolved only by services that use Redis; Redis:KeyPrefix keeps tests (and environments) apart.
        var keyPrefix = builder.Configuration["Redis:KeyPrefix"];
        builder.Services.TryAddSingleton(sp =>
        {
            var database = sp.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
            return string.IsNullOrEmpty(keyPrefix) ? database : database.WithKeyPrefix(keyPrefix);
        });
    }
}

/// <summary>Fails the start when a registered Redis client has no <c>ConnectionStrings:redis</c>.</summary>
internal sealed class RequiredConnectionStrings(IServiceProvider services, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var isService = services.GetService<IServiceProviderIsService>();
        if (isService?.IsService(typeof(IConnectionMultiplexer)) == true && string.IsNullOrWhiteSpace(configuration.GetConnectionString("redis")))
        {
            throw new InvalidOperationException("ConnectionStrings:redis is not set. Run the stack with 'dotnet run --project AppHost', or set the environment variable ConnectionStrings__redis.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
