using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Atlas.Testing;

/// <summary>
/// Hosts one Atlas service in-process (<see cref="WebApplicationFactory{TEntryPoint}"/>) against its own slice of
/// the real servers, with the same configuration keys the AppHost gives it.
/// </summary>
public sealed class ServiceFactory<TProgram>(string databaseName, IsolatedResources resources, IReadOnlyDictionary<string, string?>? overrides = null)
    : WebApplicationFactory<TProgram> where TProgram : class
{
    public IsolatedResources Resources { get; } = resources;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{databaseName}", Resources.Database);
        builder.UseSetting("ConnectionStrings:rabbitmq", Resources.RabbitMq);
        builder.UseSetting("ConnectionStrings:redis", Resources.Redis);
        builder.UseSetting("Redis:KeyPrefix", Resources.RedisKeyPrefix);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
