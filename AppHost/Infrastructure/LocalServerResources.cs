namespace Atlas.AppHost.Infrastructure;

/// <summary>redis-server from the Debian package, run by Aspire's orchestrator; password-protected, loopback only.</summary>
public sealed class LocalRedisResource(string name, string command, string folder, ParameterResource password)
    : ExecutableResource(name, command, folder), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={Password}");
}

/// <summary>A PostgreSQL server initialised and run from Debian's binaries (as the <c>postgres</c> user when root).</summary>
public sealed class LocalPostgresResource(string name, string command, string folder, ParameterResource password)
    : ExecutableResource(name, command, folder), IResourceWithConnectionString
{
    public const string AdminUser = "atlas";

    public ParameterResource Password { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, "tcp");

    /// <summary>The server without a database; each service's database adds its own name.</summary>
    public ReferenceExpression ServerExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={AdminUser};Password={Password}");

    /// <summary>The administrative connection (database <c>postgres</c>).</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ServerExpression};Database=postgres");
}

/// <summary>One service's database on a PostgreSQL server the AppHost started or was given; created when missing.</summary>
public sealed class AtlasDatabaseResource(string name, IResourceWithConnectionString server, string databaseName)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    public IResourceWithConnectionString Parent { get; } = server;

    /// <summary>The database's name on the server (the resource name with the environment's prefix).</summary>
    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression => Parent is LocalPostgresResource local
        ? ReferenceExpression.Create($"{local.ServerExpression};Database={DatabaseName}")
        : ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

/// <summary>rabbitmq-server from the Debian package with its own node name, ports and Erlang port mapper, plus the management plugin.</summary>
public sealed class LocalRabbitMqResource(string name, string command, string folder, ParameterResource password)
    : ExecutableResource(name, command, folder), IResourceWithConnectionString
{
    public const string User = "atlas";

    public ParameterResource Password { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, "tcp");

    public EndpointReference ManagementEndpoint => new(this, "management");

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://{User}:{Password}@127.0.0.1:{PrimaryEndpoint.Property(EndpointProperty.Port)}/");
}
