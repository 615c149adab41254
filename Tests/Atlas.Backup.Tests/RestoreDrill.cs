using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Backup.Tests.Support;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Atlas.Backup.Tests;

/// <summary>
/// The runbook's restore drill for the whole stack, through the HTTP API only: back up every target at once, lose
/// data everywhere, restore every backup into its source with confirmation, and find each store as it was backed up.
/// The time the restores take is printed (the RTO drill; the benchmark prints it for larger data).
/// </summary>
public sealed class RestoreDrill(ITestOutputHelper output)
{
    private static readonly string[] Databases = ["gatewaydb", "moderationdb", "llmdb", "workflowdb"];

    [Fact]
    public async Task Every_target_backed_up_with_all_comes_back_as_backed_up_after_losing_data_everywhere()
    {
        var servers = await Atlas.Testing.RealServers.Shared;
        var extra = new Dictionary<string, string?>();
        foreach (var name in Databases.Skip(1))
        {
            extra[$"ConnectionStrings:{name}"] = await servers.CreateDatabaseAsync("drill" + name);
        }

        await using var world = await BackupWorld.StartAsync("drill", extra);
        var connections = Databases.ToDictionary(n => n, n => n == "gatewaydb" ? world.Source : extra[$"ConnectionStrings:{n}"]!);
        foreach (var (name, connection) in connections)
        {
            await world.ExecuteAsync($"""
                CREATE TABLE items (id bigint PRIMARY KEY, owner text NOT NULL, body text, at timestamptz NOT NULL DEFAULT '2026-01-01');
                INSERT INTO items (id, owner, body) SELECT g, '{name}', md5(g::text) FROM generate_series(1, 5000) g;
                CREATE TABLE audit (id bigserial PRIMARY KEY, item bigint REFERENCES items (id), note text);
                INSERT INTO audit (item, note) SELECT g, 'seen' FROM generate_series(1, 5000, 7) g;
                """, connection);
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(world.Resources.Redis);
        var db = redis.GetDatabase();
        var prefix = world.Resources.RedisKeyPrefix;
        for (var i = 0; i < 300; i++)
        {
            await db.StringSetAsync($"{prefix}fsm:{i}", $"state {i}");
            await db.HashSetAsync($"{prefix}chat:{i}", [new HashEntry("title", $"chat {i}"), new HashEntry("members", i)]);
        }

        var before = new Dictionary<string, string>();
        foreach (var (name, connection) in connections)
        {
            before[name] = await FingerprintAsync(world, connection);
        }

        before["redis"] = await RedisFingerprintAsync(redis, prefix);
        await world.BackUpAsync("configuration");
        var catalogBefore = await world.ListAsync();

        var backupClock = Stopwatch.StartNew();
        using var taken = await world.Client.PostAsJsonAsync(new Uri("/backups", UriKind.Relative), new { target = "all" });
        var backupTime = backupClock.Elapsed;
        var run = JsonDocument.Parse(await taken.Content.ReadAsStringAsync()).RootElement;
        taken.StatusCode.Should().Be(HttpStatusCode.Created, run.ToString());
        var backups = run.GetProperty("backups").EnumerateArray().ToDictionary(b => b.GetProperty("target").GetString()!, b => b.Clone());
        backups.Keys.Should().BeEquivalentTo([.. Databases, "backupdb", "redis", "configuration"]);
        backups.Values.Should().OnlyContain(b => b.GetProperty("verificationStatus").GetString() == "passed");

        foreach (var (name, connection) in connections)
        {
            await world.ExecuteAsync("DROP TABLE audit; UPDATE items SET body = 'lost' WHERE id % 3 = 0; DELETE FROM items WHERE id > 4000;", connection);
        }

        await db.KeyDeleteAsync([.. Enumerable.Range(0, 150).Select(i => (RedisKey)$"{prefix}fsm:{i}")]);
        await db.HashSetAsync($"{prefix}chat:1", "title", "overwritten");
        await db.StringSetAsync($"{prefix}after-the-backup", "x");

        // The catalog last: restoring backupdb puts the catalog back as it was, without the backups taken since.
        var order = backups.Keys.Where(t => t is not "configuration" and not "backupdb").Order(StringComparer.Ordinal).Append("backupdb").ToList();
        var restoreClock = Stopwatch.StartNew();
        foreach (var target in order)
        {
            using var restored = await world.Client.PostAsJsonAsync(
                new Uri($"/backups/{backups[target].GetProperty("id").GetGuid()}/restore", UriKind.Relative), new { into = "source", confirm = true });
            restored.StatusCode.Should().Be(HttpStatusCode.OK, $"{target}: {await restored.Content.ReadAsStringAsync()}");
        }

        var restoreTime = restoreClock.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Restore drill: {order.Count} targets backed up in {backupTime.TotalSeconds:0.00} s (with verification), restored in {restoreTime.TotalSeconds:0.00} s (RTO drill)"));

        foreach (var (name, connection) in connections)
        {
            (await FingerprintAsync(world, connection)).Should().Be(before[name], $"{name} is restored as backed up");
        }

        (await RedisFingerprintAsync(redis, prefix)).Should().Be(before["redis"]);
        (await world.ListAsync()).Select(b => b.GetProperty("id").GetGuid()).Should().BeEquivalentTo(
            catalogBefore.Select(b => b.GetProperty("id").GetGuid()), "the catalog is back to what it held when backupdb was dumped");
    }

    /// <summary>Every row of both tables as text, in key order, with the table list.</summary>
    private static async Task<string> FingerprintAsync(BackupWorld world, string connection) =>
        await world.ScalarAsync<string>("""
            SELECT (SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public')
                || '#' || (SELECT string_agg(i::text, '|' ORDER BY id) FROM items i)
                || '#' || (SELECT coalesce(string_agg(a::text, '|' ORDER BY id), '') FROM audit a)
            """, connection) ?? "";

    private static async Task<string> RedisFingerprintAsync(ConnectionMultiplexer redis, string prefix)
    {
        var server = redis.GetServers()[0];
        var db = redis.GetDatabase();
        var entries = new List<string>();
        await foreach (var key in server.KeysAsync(0, prefix + "*"))
        {
            entries.Add($"{key}={Convert.ToBase64String((await db.KeyDumpAsync(key))!)}");
        }

        entries.Sort(StringComparer.Ordinal);
        return string.Join("\n", entries);
    }
}
