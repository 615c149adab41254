using Atlas.AppHost.Hosting;
using Npgsql;

namespace Atlas.AppHost.Infrastructure;

/// <summary>One service's database on a <see cref="PostgresServerResource"/>; its connection string names the database.</summary>
public sealed class PostgresDatabaseResource : Resource, IResourceWithConnectionString
{
    private string? _connectionString;

    internal PostgresDatabaseResource(string name, PostgresServerResource server) : base(name)
    {
        Server = server;
        AddWait(server);
    }

    public PostgresServerResource Server { get; }

    public override string Kind => "database";

    public override string? DisplayUrl => $"{Server.DisplayUrl?.Split(' ')[0]}/{Name}";

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException($"{Name} has not started.");

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        await Server.EnsureDatabaseAsync(Name, cancellationToken).ConfigureAwait(false);
        _connectionString = new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = Name }.ConnectionString;
    }

    internal override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
