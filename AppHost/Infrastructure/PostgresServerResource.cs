using System.Globalization;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Processes;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Atlas.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL: a configured server, or one initialised and run locally from PostgreSQL's binaries (as the
/// <c>postgres</c> user when the AppHost runs as root), listening on 127.0.0.1 only, password-protected.
/// </summary>
public sealed class PostgresServerResource(string name, Action<Resource> register) : Resource(name), IResourceWithConnectionString
{
    private const string ServerUser = "postgres";
    private const string AdminUser = "atlas";
    private string? _connectionString;
    private string _display = "";

    public override string Kind => "postgres";

    /// <summary>The administrative connection (database <c>postgres</c>).</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException($"{Name} has not started.");

    public override string? DisplayUrl => _display;

    /// <summary>A database on this server, created when it does not exist; it waits for the server.</summary>
    public PostgresDatabaseResource AddDatabase(string databaseName)
    {
        var database = new PostgresDatabaseResource(databaseName, this);
        register(database);
        return database;
    }

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var configured = context.Options.Configuration.GetConnectionString(Name);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _connectionString = configured;
            var parsed = new NpgsqlConnectionStringBuilder(configured);
            _display = $"postgresql://{parsed.Host}:{parsed.Port} (configured)";
            await Readiness.WaitAsync(token => AnswersAsync(configured, token), null, context, Name, cancellationToken).ConfigureAwait(false);
            return;
        }

        var bin = ServerBinaries.PostgresBin() ?? throw ServerBinaries.Missing(Name, "PostgreSQL 15 or later (initdb, postgres)", "postgresql");
        var folder = context.Data.For(Name);
        var dataDirectory = Path.Combine(folder, "data");
        var port = context.Data.Port(Name);
        var password = context.Data.Secret(Name);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await InitialiseAsync(bin, folder, dataDirectory, password, cancellationToken).ConfigureAwait(false);
        }

        await ServerBinaries.GiveToAsync(ServerUser, folder, cancellationToken).ConfigureAwait(false);
        var arguments = new List<string>
        {
            "-D", dataDirectory, "-p", port.ToString(CultureInfo.InvariantCulture), "-h", "127.0.0.1", "-k", folder,
            "-c", "logging_collector=off", "-c", "max_connections=300",
        };
        if (!context.Options.Persistent)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        _connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = AdminUser,
            Password = password,
            Database = "postgres",
        }.ConnectionString;
        _display = $"postgresql://127.0.0.1:{port}";
        var environment = new Dictionary<string, string?> { [ProcessTable.OwnerVariable] = context.Owner };
        Process = ManagedProcess.Start(Path.Combine(bin, "postgres"), arguments, environment, folder, context.Log, ServerUser);
        await Readiness.WaitAsync(token => AnswersAsync(_connectionString, token), Process, context, Name, cancellationToken).ConfigureAwait(false);
    }

    internal override async Task StopAsync(CancellationToken cancellationToken)
    {
        // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, data is flushed.
        await StopProcessAsync(Posix.SigInt, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
    }

    /// <summary>Creates the database when it is missing (CREATE DATABASE has no IF NOT EXISTS).</summary>
    internal async Task EnsureDatabaseAsync(string databaseName, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = databaseName });
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            var quoted = "\"" + databaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another AppHost or test created it a moment ago.
            }
        }
    }

    private static async Task InitialiseAsync(string bin, string folder, string dataDirectory, string password, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(folder, "initdb.pw");
        await PrivateFile.WriteAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
        await ServerBinaries.GiveToAsync(ServerUser, folder, cancellationToken).ConfigureAwait(false);
        try
        {
            var initdb = Path.Combine(bin, "initdb");
            string[] arguments =
            [
                "-D", dataDirectory, "-U", AdminUser, $"--pwfile={passwordFile}", "--auth-host=scram-sha-256", "--auth-local=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
            ];
            if (Posix.IsRoot)
            {
                await ServerBinaries.RunAsync("setpriv", [$"--reuid={ServerUser}", $"--regid={ServerUser}", "--init-groups", "--", initdb, .. arguments], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ServerBinaries.RunAsync(initdb, arguments, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task<bool> AnswersAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
