using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Backup.Tests.Support;

namespace Atlas.Backup.Tests;

/// <summary>A PostgreSQL database backed up, changed and restored through the HTTP API ends up exactly as backed up.</summary>
public sealed class PostgresBackupRestore
{
    private const string Seed = """
        CREATE TABLE chats (id bigint PRIMARY KEY, title text NOT NULL, joined timestamptz NOT NULL DEFAULT '2026-01-01');
        INSERT INTO chats (id, title) SELECT g, 'chat ' || g FROM generate_series(1, 500) g;
        CREATE TABLE users (id bigint PRIMARY KEY, name text, score numeric);
        INSERT INTO users SELECT g, 'user ' || g, g * 1.5 FROM generate_series(1, 200) g;
        """;

    [Fact]
    public async Task Backup_then_change_then_restore_into_source_gives_back_the_backed_up_data()
    {
        await using var world = await BackupWorld.StartAsync("pgrestore");
        await world.ExecuteAsync(Seed);
        var before = await Fingerprint(world, world.Source);

        var backup = await world.BackUpAsync("gatewaydb");
        backup.GetProperty("verificationStatus").GetString().Should().Be("passed", backup.GetProperty("verificationDetail").GetString());

        await world.ExecuteAsync("""
            UPDATE chats SET title = 'changed' WHERE id <= 100; DELETE FROM users WHERE id > 50;
            INSERT INTO chats (id, title) VALUES (9999, 'after the backup');
            """);
        (await Fingerprint(world, world.Source)).Should().NotBe(before);

        using var response = await world.Client.PostAsJsonAsync(
            new Uri($"/backups/{backup.GetProperty("id").GetGuid()}/restore", UriKind.Relative), new { into = "source", confirm = true });
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        (await Fingerprint(world, world.Source)).Should().Be(before);
        JsonDocument.Parse(body).RootElement.GetProperty("emergencyBackupId").GetGuid().Should().NotBeEmpty("the state replaced by a restore is backed up first");
    }

    [Fact]
    public async Task Restore_into_source_keeps_the_ops_audit_rows_written_since_the_backup()
    {
        await using var world = await BackupWorld.StartAsync("pgrestoreaudit");
        await world.ExecuteAsync(Seed + """
            CREATE TABLE ops_audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, action text NOT NULL);
            CREATE FUNCTION ops_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append-only'; END $$;
            CREATE TRIGGER ops_audit_append_only BEFORE UPDATE OR DELETE ON ops_audit FOR EACH ROW EXECUTE FUNCTION ops_audit_append_only();
            INSERT INTO ops_audit (action) VALUES ('before the backup');
            """);
        var before = await Fingerprint(world, world.Source);
        var backup = await world.BackUpAsync("gatewaydb");

        await world.ExecuteAsync("""
            UPDATE chats SET title = 'changed' WHERE id <= 100;
            INSERT INTO ops_audit (action) VALUES ('after the backup');
            """);
        using var response = await world.Client.PostAsJsonAsync(
            new Uri($"/backups/{backup.GetProperty("id").GetGuid()}/restore", UriKind.Relative), new { into = "source", confirm = true });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await Fingerprint(world, world.Source)).Should().Be(before, "the data the backup holds is back");
        await using var connection = new Npgsql.NpgsqlConnection(world.Source);
        await connection.OpenAsync();
        await using var audit = new Npgsql.NpgsqlCommand("SELECT string_agg(action, ',' ORDER BY id) FROM ops_audit", connection);
        (await audit.ExecuteScalarAsync()).Should().Be("before the backup,after the backup", "a restore never rolls the audit trail back");
        await using var guard = new Npgsql.NpgsqlCommand("DELETE FROM ops_audit", connection);
        await FluentActions.Awaiting(() => guard.ExecuteNonQueryAsync()).Should().ThrowAsync<Npgsql.PostgresException>("its guard stays in place");
    }

    [Fact]
    public void The_table_of_contents_for_an_in_place_restore_leaves_out_every_ops_audit_entry()
    {
        const string toc = """
            ;
            ; Archive created at 2026-12-02 04:00:00 UTC
            ;
            215; 1259 16390 TABLE public chats atlas
            216; 1259 16391 TABLE public ops_audit atlas
            217; 1259 16392 SEQUENCE public ops_audit_id_seq atlas
            3345; 0 16390 TABLE DATA public chats atlas
            3346; 0 16391 TABLE DATA public ops_audit atlas
            3200; 2606 16400 CONSTRAINT public ops_audit ops_audit_pkey atlas
            3201; 2620 16401 TRIGGER public ops_audit ops_audit_append_only atlas
            230; 1255 16380 FUNCTION public ops_audit_append_only() atlas
            """;

        var kept = Atlas.Backup.Postgres.PostgresHandler.WithoutOpsAudit(toc).Split('\n').Where(line => !line.StartsWith(';')).ToList();

        kept.Should().HaveCount(2);
        kept.Should().AllSatisfy(line => line.Should().Contain("public chats"));
    }

    [Fact]
    public async Task Restore_into_a_new_database_leaves_the_source_alone()
    {
        await using var world = await BackupWorld.StartAsync("pgnewdb");
        await world.ExecuteAsync(Seed);
        var before = await Fingerprint(world, world.Source);
        var backup = await world.BackUpAsync("gatewaydb");
        await world.ExecuteAsync("DELETE FROM users");
        var into = "restored_" + Guid.NewGuid().ToString("N")[..12];

        using var response = await world.Client.PostAsJsonAsync(
            new Uri($"/backups/{backup.GetProperty("id").GetGuid()}/restore", UriKind.Relative), new { into, confirm = true });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await Fingerprint(world, world.Database(into))).Should().Be(before);
        (await world.ScalarAsync<long>("SELECT count(*) FROM users")).Should().Be(0, "the source is not touched");
        await world.ExecuteAsync($"DROP DATABASE {into} WITH (FORCE)");
    }

    [Fact]
    public async Task The_manifest_records_source_versions_sizes_checksum_encryption_and_tables()
    {
        await using var world = await BackupWorld.StartAsync("pgmanifest");
        await world.ExecuteAsync(Seed);

        var backup = await world.BackUpAsync("gatewaydb");
        var manifest = backup.GetProperty("manifest");
        var manifestFile = Path.Combine(world.StoragePath, backup.GetProperty("artifactName").GetString()! + ".manifest.json");

        manifest.GetProperty("serverVersion").GetString().Should().StartWith("15.");
        manifest.GetProperty("clientVersion").GetString().Should().Contain("pg_dump (PostgreSQL) 15");
        manifest.GetProperty("encryption").GetProperty("algorithm").GetString().Should().Be("AES-256-GCM");
        manifest.GetProperty("compression").GetString().Should().Be("gzip");
        manifest.GetProperty("storedBytes").GetInt64().Should().Be(new FileInfo(Path.Combine(world.StoragePath, backup.GetProperty("artifactName").GetString()!)).Length);
        manifest.GetProperty("source").GetString().Should().NotContain("Password").And.EndWith(new Npgsql.NpgsqlConnectionStringBuilder(world.Source).Database);
        manifest.GetProperty("tables").EnumerateArray().Select(t => (t.GetProperty("table").GetString(), t.GetProperty("rows").GetInt64()))
            .Should().BeEquivalentTo([("chats", 500L), ("users", 200L)]);
        File.ReadAllText(manifestFile).Should().Contain(backup.GetProperty("sha256").GetString());
    }

    /// <summary>Every row of both tables, as text, in key order.</summary>
    internal static async Task<string> Fingerprint(BackupWorld world, string connectionString) =>
        await world.ScalarAsync<string>(
            "SELECT (SELECT string_agg(c::text, '|' ORDER BY id) FROM chats c) || '#' || (SELECT coalesce(string_agg(u::text, '|' ORDER BY id), '') FROM users u)",
            connectionString) ?? "";
}
