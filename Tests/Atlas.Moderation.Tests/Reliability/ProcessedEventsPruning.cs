using Atlas.Moderation.Decisions;
using Atlas.Moderation.Settings;
using Atlas.ServiceDefaults.Migrations;
using Atlas.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Atlas.Moderation.Tests.Reliability;

/// <summary>The record of handled events is pruned by age, in batches; recent records (a redelivery's guard) stay.</summary>
public sealed class ProcessedEventsPruning : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync()
    {
        var servers = await RealServers.Shared;
        _db = NpgsqlDataSource.Create(await servers.CreateDatabaseAsync("moderation-prune"));
        await new DatabaseMigrator(_db, NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(MigrationScript.LoadFrom(typeof(ProcessedEventsPruner).Assembly), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Events_older_than_the_retention_are_deleted_in_batches_and_recent_ones_kept()
    {
        var now = _time.GetUtcNow();
        await InsertAsync("old", 12_001, now - TimeSpan.FromDays(8));
        await InsertAsync("edge", 1, now - TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await InsertAsync("recent", 3, now - TimeSpan.FromHours(1));
        var pruner = Pruner(TimeSpan.FromDays(7));

        (await pruner.PruneAsync(CancellationToken.None)).Should().Be(12_001, "more than two batches of old events go");

        (await KeysAsync()).Should().BeEquivalentTo(["edge:0", "recent:0", "recent:1", "recent:2"]);
        (await pruner.PruneAsync(CancellationToken.None)).Should().Be(0);
    }

    [Fact]
    public async Task The_service_prunes_at_start_and_again_every_hour()
    {
        var now = _time.GetUtcNow();
        await InsertAsync("old", 2, now - TimeSpan.FromDays(2));
        await InsertAsync("later", 1, now - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(30));
        using var pruner = Pruner(TimeSpan.FromDays(1));

        await pruner.StartAsync(CancellationToken.None);
        await Eventually.PollAsync(KeysAsync, keys => keys.Count == 1, TimeSpan.FromSeconds(10));
        _time.Advance(ProcessedEventsPruner.Interval);
        await Eventually.PollAsync(KeysAsync, keys => keys.Count == 0, TimeSpan.FromSeconds(10));
        await pruner.StopAsync(CancellationToken.None);
    }

    private ProcessedEventsPruner Pruner(TimeSpan retention) => new(
        _db, Options.Create(new ModerationOptions { ProcessedEventsRetention = retention }), _time, NullLogger<ProcessedEventsPruner>.Instance);

    private async Task InsertAsync(string prefix, int count, DateTimeOffset at)
    {
        await using var command = _db.CreateCommand(
            "INSERT INTO processed_events (event_key, processed_at) SELECT $1 || ':' || i, $2 FROM generate_series(0, $3 - 1) AS i");
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<IReadOnlyList<string>> KeysAsync()
    {
        await using var command = _db.CreateCommand("SELECT event_key FROM processed_events ORDER BY event_key");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
