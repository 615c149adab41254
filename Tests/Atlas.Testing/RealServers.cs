using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Atlas.AppHost.Infrastructure;
using Atlas.ServiceDefaults.Messaging;
using Npgsql;

namespace Atlas.Testing;

/// <summary>
/// Real Redis, PostgreSQL and RabbitMQ for a test run. When the test command started them it passes their
/// connection strings as <c>ATLAS_TEST_REDIS</c>, <c>ATLAS_TEST_POSTGRES</c>, <c>ATLAS_TEST_RABBITMQ</c> and
/// <c>ATLAS_TEST_RABBITMQ_MANAGEMENT</c>; otherwise (a run from an IDE) this process starts its own through the
/// AppHost library in a temp folder and stops them when the process exits. Tests never share state: each takes
/// its own database, virtual host and Redis key prefix.
/// </summary>
public sealed class RealServers
{
    private const string DataFolderPrefix = "atlas-tests-";
    private static readonly Lazy<Task<RealServers>> Instance = new(StartAsync);
    private readonly Uri? _management;

    private RealServers(string redis, string postgres, string rabbitMq, Uri? management)
    {
        Redis = redis;
        Postgres = postgres;
        RabbitMq = rabbitMq;
        _management = management;
    }

    /// <summary>The servers of this test run, started on first use.</summary>
    public static Task<RealServers> Shared => Instance.Value;

    public string Redis { get; }

    /// <summary>Administrative connection string (database <c>postgres</c>).</summary>
    public string Postgres { get; }

    /// <summary>The broker's default virtual host.</summary>
    public string RabbitMq { get; }

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string hint)
    {
        var name = UniqueName(hint);
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>A new virtual host with full rights for our user; returns its amqp:// connection string.</summary>
    public async Task<string> CreateVirtualHostAsync(string hint)
    {
        if (_management is null)
        {
            return RabbitMq;
        }

        var name = UniqueName(hint);
        var connection = RabbitMqConnection.Parse(RabbitMq);
        using var http = new HttpClient { BaseAddress = _management };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connection.Username}:{connection.Password}")));
        (await http.PutAsync(new Uri($"api/vhosts/{name}", UriKind.Relative), null).ConfigureAwait(false)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync(new Uri($"api/permissions/{name}/{Uri.EscapeDataString(connection.Username)}", UriKind.Relative),
            new { configure = ".*", write = ".*", read = ".*" }).ConfigureAwait(false)).EnsureSuccessStatusCode();
        return new UriBuilder(RabbitMq) { Path = "/" + name }.Uri.ToString();
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewKeyPrefix(string hint) => UniqueName(hint) + ":";

    private static string UniqueName(string hint) =>
        $"t_{new string([.. hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20)])}_{Guid.NewGuid().ToString("N")[..10]}";

    private static async Task<RealServers> StartAsync()
    {
        var redis = Environment.GetEnvironmentVariable("ATLAS_TEST_REDIS");
        var postgres = Environment.GetEnvironmentVariable("ATLAS_TEST_POSTGRES");
        var rabbitMq = Environment.GetEnvironmentVariable("ATLAS_TEST_RABBITMQ");
        var management = Environment.GetEnvironmentVariable("ATLAS_TEST_RABBITMQ_MANAGEMENT");
        if (!string.IsNullOrEmpty(redis) && !string.IsNullOrEmpty(postgres) && !string.IsNullOrEmpty(rabbitMq))
        {
            return new RealServers(redis, postgres, rabbitMq, string.IsNullOrEmpty(management) ? null : new Uri(management));
        }

        // No servers handed over: start them with the AppHost's own resources (infrastructure only), as the test command does.
        // First stop what an earlier run of this kind left behind when its test host was stopped outright.
        await OwnerMark.StopOrphansUnderAsync(Path.Combine(Path.GetTempPath(), DataFolderPrefix), TimeSpan.FromSeconds(20), CancellationToken.None)
            .ConfigureAwait(false);
        var dataRoot = Directory.CreateTempSubdirectory(DataFolderPrefix).FullName;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(["--infra-only", "--ephemeral", "--data", dataRoot]).ConfigureAwait(false);
        var app = await builder.BuildAsync().ConfigureAwait(false);
        await app.StartAsync().ConfigureAwait(false);
        foreach (var name in (string[])["redis", "postgres", "rabbitmq"])
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name).ConfigureAwait(false);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            app.StopAsync().Wait(TimeSpan.FromSeconds(30));
            app.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));

            // The AppHost removes its ephemeral data folder itself when it stops; this only catches what it left.
            if (Directory.Exists(dataRoot))
            {
                Directory.Delete(dataRoot, recursive: true);
            }
        };
        return new RealServers(
            await app.GetConnectionStringAsync("redis").ConfigureAwait(false) ?? "",
            await app.GetConnectionStringAsync("postgres").ConfigureAwait(false) ?? "",
            await app.GetConnectionStringAsync("rabbitmq").ConfigureAwait(false) ?? "",
            app.GetEndpoint("rabbitmq", "management"));
    }
}
