using Microsoft.Extensions.Configuration;

namespace Atlas.AppHost.Infrastructure;

/// <summary>
/// Redis, PostgreSQL and RabbitMQ, each resolved in the order ARCHITECTURE.md fixes: a configured connection string;
/// else a local server from the Debian binaries; else, where a container runtime is chosen (<c>--containers</c>),
/// Aspire's own container resources; else one clear error naming the package to install or the key to set.
/// </summary>
internal static class AtlasInfrastructure
{
    public static IResourceBuilder<IResourceWithConnectionString> AddAtlasRedis(this IDistributedApplicationBuilder builder, string name, AtlasHostSettings settings)
    {
        if (IsConfigured(builder, name))
        {
            return builder.AddConnectionString(name);
        }

        if (settings.Binaries.Redis() is { } binary)
        {
            return builder.AddLocalRedis(name, binary, settings);
        }

        return settings.UseContainers ? builder.AddRedis(name) : throw ServerBinaries.Missing(name, "redis-server", "redis-server");
    }

    public static AtlasPostgres AddAtlasPostgres(this IDistributedApplicationBuilder builder, string name, AtlasHostSettings settings)
    {
        if (IsConfigured(builder, name))
        {
            return new AtlasPostgres(builder, builder.AddConnectionString(name), null, settings.Environment.DatabasePrefix);
        }

        if (settings.Binaries.PostgresBin() is { } bin)
        {
            return new AtlasPostgres(builder, builder.AddLocalPostgres(name, bin, settings), null, settings.Environment.DatabasePrefix);
        }

        return settings.UseContainers
            ? new AtlasPostgres(builder, null, builder.AddPostgres(name), settings.Environment.DatabasePrefix)
            : throw ServerBinaries.Missing(name, "PostgreSQL 15 or later (initdb, postgres)", "postgresql");
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddAtlasRabbitMQ(this IDistributedApplicationBuilder builder, string name, AtlasHostSettings settings)
    {
        if (IsConfigured(builder, name))
        {
            return builder.AddConnectionString(name);
        }

        if (settings.Binaries.RabbitMqServer() is { } server)
        {
            return builder.AddLocalRabbitMQ(name, server, settings);
        }

        return settings.UseContainers
            ? builder.AddRabbitMQ(name).WithManagementPlugin()
            : throw ServerBinaries.Missing(name, "rabbitmq-server", "rabbitmq-server");
    }

    /// <summary>
    /// References <paramref name="resource"/> and waits for it to be healthy, unless it is a configured connection string:
    /// a server the AppHost does not run is the service's to wait for (its /readyz says so).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithInfrastructure(this IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithConnectionString> resource)
    {
        project.WithReference(resource);
        return resource.Resource is ParameterResource ? project : project.WaitFor(resource);
    }

    /// <summary>A configured connection string, or publishing: deployed, every server is a managed service named by a connection-string secret.</summary>
    internal static bool IsConfigured(IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsPublishMode || !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name));
}

/// <summary>
/// A PostgreSQL server of any of the three kinds, to which the services' databases are added, their names prefixed with
/// the environment (<c>dev_gatewaydb</c>).
/// </summary>
internal sealed class AtlasPostgres(
    IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithConnectionString>? server, IResourceBuilder<PostgresServerResource>? container,
    string databasePrefix)
{
    public IResource Resource => server?.Resource ?? (IResource)container!.Resource;

    /// <summary>The service's database: its own configured connection string, else one on this server (created when missing).</summary>
    public IResourceBuilder<IResourceWithConnectionString> AddDatabase(string name) =>
        AtlasInfrastructure.IsConfigured(builder, name) ? builder.AddConnectionString(name)
        : container is not null ? container.AddDatabase(name, databasePrefix + name)
        : builder.AddAtlasDatabase(server!, name, databasePrefix + name);
}
