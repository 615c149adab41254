using System.Net;
using System.Net.Http.Json;
using Atlas.Backup.Tests.Support;
using StackExchange.Redis;

namespace Atlas.Backup.Tests;

/// <summary>The Redis export (SCAN + DUMP + PTTL) restores with RESTORE to exactly the backed-up keyspace.</summary>
public sealed class RedisBackupRestore
{
    [Fact]
    public async Task Backup_then_change_then_restore_gives_back_values_types_and_ttls()
    {
        await using var world = await BackupWorld.StartAsync("redisrestore");
        var prefix = world.Resources.RedisKeyPrefix;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(world.Resources.Redis);
        var db = redis.GetDatabase();
        await db.StringSetAsync(prefix + "fsm:1", "awaiting-name");
        await db.StringSetAsync(prefix + "seen:42", "1", TimeSpan.FromHours(1));
        await db.HashSetAsync(prefix + "chat:7", [new HashEntry("title", "Group"), new HashEntry("members", 12)]);
        await db.ListRightPushAsync(prefix + "queue", ["a", "b", "c"]);
        for (var i = 0; i < 1200; i++)
        {
            await db.StringSetAsync($"{prefix}bulk:{i}", $"value {i}", flags: CommandFlags.FireAndForget);
        }

        var backup = await world.BackUpAsync("redis");
        backup.GetProperty("verificationStatus").GetString().Should().Be("passed", backup.GetProperty("verificationDetail").GetString());
        backup.GetProperty("manifest").GetProperty("redis").GetProperty("keys").GetInt64().Should().Be(1204);

        await db.StringSetAsync(prefix + "fsm:1", "changed");
        await db.KeyDeleteAsync(prefix + "chat:7");
        await db.StringSetAsync(prefix + "new-after-backup", "x");
        await db.KeyDeleteAsync(prefix + "bulk:5");

        using var response = await world.Client.PostAsJsonAsync(
            new Uri($"/backups/{backup.GetProperty("id").GetGuid()}/restore", UriKind.Relative), new { into = "source", confirm = true });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        ((string?)await db.StringGetAsync(prefix + "fsm:1")).Should().Be("awaiting-name");
        (await db.HashGetAllAsync(prefix + "chat:7")).Should().HaveCount(2);
        (await db.ListRangeAsync(prefix + "queue")).Select(v => (string?)v).Should().Equal("a", "b", "c");
        ((string?)await db.StringGetAsync(prefix + "bulk:5")).Should().Be("value 5");
        (await db.KeyExistsAsync(prefix + "new-after-backup")).Should().BeFalse("the keyspace is put back as it was backed up");
        (await db.KeyTimeToLiveAsync(prefix + "seen:42")).Should().BeGreaterThan(TimeSpan.FromMinutes(50)).And.BeLessThanOrEqualTo(TimeSpan.FromHours(1));
        (await db.KeyTimeToLiveAsync(prefix + "fsm:1")).Should().BeNull();
    }

    [Fact]
    public async Task A_redis_backup_is_not_restored_into_a_new_database()
    {
        await using var world = await BackupWorld.StartAsync("redisinto");
        var backup = await world.BackUpAsync("redis");

        using var response = await world.Client.PostAsJsonAsync(
            new Uri($"/backups/{backup.GetProperty("id").GetGuid()}/restore", UriKind.Relative), new { into = "otherdb", confirm = true });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("restored into its source only");
    }
}
