using Atlas.ServiceDefaults.Clients;
using Atlas.Testing;
using Npgsql;

namespace Atlas.ServiceDefaults.Tests.Clients;

public sealed class PreparedStatementsTests
{
    private const string Probe = "SELECT $1::int + 41 AS atlas_prepared_probe";

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task A_repeated_statement_is_prepared_once_on_its_connection_and_stays_prepared_in_the_pool(bool enabled, long expected)
    {
        var servers = await RealServers.Shared;
        var builder = new NpgsqlDataSourceBuilder(await servers.CreateDatabaseAsync("prepared"));
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        if (enabled)
        {
            PreparedStatements.Enable(builder);
        }

        await using var dataSource = builder.Build();
        for (var i = 0; i < 6; i++)
        {
            // A connection from the pool each time, as a service's handlers use it; the pool has only the one.
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(Probe, connection) { Parameters = { new() { Value = i } } };
            (await command.ExecuteScalarAsync()).Should().Be(i + 41);
        }

        await using var check = await dataSource.OpenConnectionAsync();
        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%atlas_prepared_probe%'", check);
        (await prepared.ExecuteScalarAsync()).Should().Be(expected);
    }

    [Theory]
    [InlineData("Host=localhost", PreparedStatements.DefaultMaximum)]
    [InlineData("Host=localhost;Max Auto Prepare=0", 0)]
    [InlineData("Host=localhost; max auto prepare = 5", 5)]
    public void The_connection_string_has_the_last_word(string connectionString, int expected)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        PreparedStatements.Enable(builder);

        builder.ConnectionStringBuilder.MaxAutoPrepare.Should().Be(expected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_maximum_below_one_is_refused(int maximum)
    {
        var enable = () => PreparedStatements.Enable(new NpgsqlDataSourceBuilder("Host=localhost"), maximum);

        enable.Should().Throw<ArgumentOutOfRangeException>();
    }
}
