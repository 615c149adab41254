using System.Net;
using System.Text.Json;
using FluentAssertions;
using Npgsql;
using Xunit;

namespace Atlas.Testing;

/// <summary>
/// What every Atlas service must do from the first day: boot against real servers, apply its migrations, serve the
/// default endpoints with the right codes and shapes, and answer Ping over the real bus. A service's test project
/// derives one class from this with its own name, database and tables.
/// </summary>
public abstract class ServiceContractTests<TProgram>(string service, string databaseName, IReadOnlyList<string> dependencies, IReadOnlyList<string> ownTables)
    : IAsyncLifetime where TProgram : class
{
    private ServiceFactory<TProgram>? _factory;
    private IReadOnlyDictionary<string, string?> _overrides = new Dictionary<string, string?>();

    protected ServiceFactory<TProgram> Factory => _factory ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>
    /// Configuration the service needs beyond its servers (e.g. a Sandbox's URL and a bot token), applied to every
    /// instance this contract starts. None by default.
    /// </summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> GetOverridesAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    public async Task InitializeAsync()
    {
        _overrides = await GetOverridesAsync().ConfigureAwait(false);
        _factory = new ServiceFactory<TProgram>(databaseName, await IsolatedResources.CreateAsync(service).ConfigureAwait(false), _overrides);
        _ = _factory.Server;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync().ConfigureAwait(false);
        }
    }

    [Fact]
    public async Task Healthz_answers_200_with_status_healthy()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"status":"healthy"}""");
    }

    [Fact]
    public async Task Readyz_answers_200_with_one_healthy_entry_per_dependency()
    {
        using var client = Factory.CreateClient();
        var (status, body) = await Eventually.PollAsync(() => GetAsync(client, "/readyz"), r => r.Status == HttpStatusCode.OK);

        status.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetString().Should().Be("healthy");
        var checks = json.RootElement.GetProperty("checks");
        checks.EnumerateObject().Select(c => c.Name).Should().BeEquivalentTo(dependencies);
        checks.EnumerateObject().Should().OnlyContain(c => c.Value.GetProperty("status").GetString() == "healthy");
    }

    [Fact]
    public async Task Readyz_answers_503_and_names_the_broker_when_rabbitmq_is_down()
    {
        var closedPort = Atlas.AppHost.Hosting.FreePort.Next();
        var settings = new Dictionary<string, string?>(_overrides)
        {
            ["ConnectionStrings:rabbitmq"] = $"amqp://atlas:wrong@127.0.0.1:{closedPort}/",
        };
        await using var broken = new ServiceFactory<TProgram>(databaseName, Factory.Resources, settings);
        using var client = broken.CreateClient();

        var (status, body) = await GetAsync(client, "/readyz");

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetString().Should().Be("unhealthy");
        json.RootElement.GetProperty("checks").GetProperty("rabbitmq").GetProperty("status").GetString().Should().Be("unhealthy");
        json.RootElement.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString().Should().Be("healthy");
        (await GetAsync(client, "/healthz")).Status.Should().Be(HttpStatusCode.OK, "liveness does not depend on the broker");
    }

    [Fact]
    public async Task Alive_and_health_answer_200()
    {
        using var client = Factory.CreateClient();
        (await GetAsync(client, "/alive")).Status.Should().Be(HttpStatusCode.OK);
        (await Eventually.PollAsync(() => GetAsync(client, "/health"), r => r.Status == HttpStatusCode.OK)).Body.Should().Be("Healthy");
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_text_format()
    {
        using var client = Factory.CreateClient();
        await GetAsync(client, "/healthz");
        var (status, body) = await Eventually.PollAsync(() => GetAsync(client, "/metrics"), r => r.Body.Contains("http_server_request_duration_seconds", StringComparison.Ordinal));

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("# TYPE ").And.Contain("dotnet_gc_collections_total");
    }

    [Fact]
    public async Task An_unknown_route_gets_a_problem_details_404()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/no/such/route", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("status").GetInt32().Should().Be(404);
    }

    [Fact]
    public async Task Answers_ping_over_the_real_bus_with_a_pong_naming_the_service()
    {
        await using var bus = await TestBus.StartAsync(Factory.Resources.RabbitMq);

        var pong = await bus.PingAsync(service, TimeSpan.FromSeconds(30));

        pong.Service.Should().Be(service);
        pong.InstanceId.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Migrations_create_the_service_tables_and_record_each_script()
    {
        await using var connection = new NpgsqlConnection(Factory.Resources.Database);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        names.Should().Contain(ownTables).And.Contain("atlas_schema_migrations");
        await using var applied = new NpgsqlCommand("SELECT count(*) FROM atlas_schema_migrations", connection);
        ((long)(await applied.ExecuteScalarAsync())!).Should().BeGreaterThan(0);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
