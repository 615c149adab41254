using Atlas.ServiceDefaults.Migrations;
using Atlas.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Atlas.ServiceDefaults.Tests.Migrations;

public sealed class DatabaseMigratorTests
{
    private static readonly IReadOnlyList<MigrationScript> Scripts = MigrationScript.LoadFrom(typeof(DatabaseMigratorTests).Assembly);

    [Fact]
    public void Loads_the_embedded_scripts_in_version_order()
    {
        Scripts.Select(s => (s.Version, s.Name)).Should().Equal((1, "0001_create_notes"), (2, "0002_add_note_author"));
    }

    [Theory]
    [InlineData("create_notes")]
    [InlineData("0000_zero")]
    [InlineData("x1_bad")]
    public void Refuses_a_script_name_without_a_positive_version(string name)
    {
        var create = () => MigrationScript.Create(name, "SELECT 1");

        create.Should().Throw<FormatException>().WithMessage($"*{name}*NNNN_description.sql*");
    }

    [Fact]
    public async Task Applies_every_script_once_and_a_second_run_applies_nothing()
    {
        await using var dataSource = await NewDatabaseAsync();
        var migrator = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);

        (await migrator.MigrateAsync(Scripts, CancellationToken.None)).Should().Be(2);
        (await migrator.MigrateAsync(Scripts, CancellationToken.None)).Should().Be(0);

        (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM atlas_schema_migrations")).Should().Be(2);
        (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'author'")).Should().Be(1);
    }

    [Fact]
    public async Task Two_instances_migrating_at_once_apply_each_script_exactly_once()
    {
        await using var dataSource = await NewDatabaseAsync();
        var first = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);
        var second = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);

        var applied = await Task.WhenAll(
            Task.Run(() => first.MigrateAsync(Scripts, CancellationToken.None)),
            Task.Run(() => second.MigrateAsync(Scripts, CancellationToken.None)));

        applied.Sum().Should().Be(2);
        (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM atlas_schema_migrations")).Should().Be(2);
    }

    [Fact]
    public async Task A_script_edited_after_it_was_applied_is_refused()
    {
        await using var dataSource = await NewDatabaseAsync();
        var migrator = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);
        await migrator.MigrateAsync(Scripts, CancellationToken.None);
        var edited = new[] { MigrationScript.Create("0001_create_notes", "CREATE TABLE notes (id bigint PRIMARY KEY);"), Scripts[1] };

        var migrate = () => migrator.MigrateAsync(edited, CancellationToken.None);

        await migrate.Should().ThrowAsync<InvalidOperationException>().WithMessage("*0001_create_notes was changed after it was applied*");
    }

    [Fact]
    public async Task A_failing_script_leaves_nothing_of_itself_behind()
    {
        await using var dataSource = await NewDatabaseAsync();
        var migrator = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);
        var scripts = new[]
        {
            Scripts[0],
            MigrationScript.Create("0002_half_done", "CREATE TABLE audit (id integer); SELEC broken;"),
        };

        var migrate = () => migrator.MigrateAsync(scripts, CancellationToken.None);

        await migrate.Should().ThrowAsync<PostgresException>();
        (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM atlas_schema_migrations")).Should().Be(1);
        (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit'")).Should().Be(0);
    }

    private static async Task<NpgsqlDataSource> NewDatabaseAsync()
    {
        var servers = await RealServers.Shared;
        return NpgsqlDataSource.Create(await servers.CreateDatabaseAsync("migrator"));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
