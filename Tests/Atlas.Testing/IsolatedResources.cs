namespace Atlas.Testing;

/// <summary>One test's own slice of the real servers: a database, a virtual host and a Redis key prefix.</summary>
public sealed record IsolatedResources(RealServers Servers, string Database, string RabbitMq, string Redis, string RedisKeyPrefix)
{
    public static async Task<IsolatedResources> CreateAsync(string hint)
    {
        var servers = await RealServers.Shared.ConfigureAwait(false);
        var database = await servers.CreateDatabaseAsync(hint).ConfigureAwait(false);
        var rabbitMq = await servers.CreateVirtualHostAsync(hint).ConfigureAwait(false);
        return new IsolatedResources(servers, database, rabbitMq, servers.Redis, RealServers.NewKeyPrefix(hint));
    }
}
