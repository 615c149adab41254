using Atlas.AppHost.Infrastructure;

namespace Atlas.AppHost.Hosting;

/// <summary>Collects the resources of an application, as Aspire's builder does; <see cref="Build"/> makes it runnable.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    private DistributedApplicationBuilder(AppHostOptions options) => Options = options;

    public AppHostOptions Options { get; }

    public static DistributedApplicationBuilder Create(AppHostOptions? options = null) => new(options ?? new AppHostOptions());

    public RedisResource AddRedis(string name) => Add(new RedisResource(name));

    public PostgresServerResource AddPostgres(string name) => Add(new PostgresServerResource(name, resource => Add(resource)));

    public RabbitMqResource AddRabbitMQ(string name) => Add(new RabbitMqResource(name));

    /// <summary>A service started from the build output of project <paramref name="projectName"/> (e.g. <c>Atlas.Gateway</c>).</summary>
    public ProjectResource AddProject(string name, string projectName) => Add(new ProjectResource(name, ProjectCatalog.PathOf(projectName)));

    public DistributedApplication Build() => new(Options, _resources);

    private T Add<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' exists already.");
        }

        _resources.Add(resource);
        return resource;
    }
}
