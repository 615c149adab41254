using System.Net;
using System.Net.Http.Json;
using Atlas.Backup.Artifacts;
using Atlas.Backup.Tests.Support;
using StackExchange.Redis;

namespace Atlas.Backup.Tests;

/// <summary>With Backup:RedisMode=rdb the backup is the local server's own RDB snapshot, verified and restored through a private redis-server.</summary>
public sealed class RedisRdbBackup
{
    [Fact]
    public async Task An_rdb_backup_is_the_servers_snapshot_and_restores_values_types_and_ttls()
    {
        await using var local = await LocalRedisServer.StartAsync();
        await using var world = await BackupWorld.StartAsync("redisrdb", new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = local.ConnectionString,
            ["Backup:RedisMode"] = "rdb",
        });
        var prefix = world.Resources.RedisKeyPrefix;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(local.ConnectionString);
        var db = redis.GetDatabase();
        await db.StringSetAsync(prefix + "fsm:1", "awaiting-name");
        await db.StringSetAsync(prefix + "seen:42", "1", TimeSpan.FromHours(1));
        await db.HashSetAsync(prefix + "chat:7", [new HashEntry("title", "Group"), new HashEntry("members", 12)]);
        await db.SortedSetAddAsync(prefix + "scores", [new SortedSetEntry("a", 1), new SortedSetEntry("b", 2)]);
        await db.StringSetAsync("other-service:key", "out of scope");
        for (var i = 0; i < 500; i++)
        {
            await db.StringSetAsync($"{prefix}bulk:{i}", $"value {i}", flags: CommandFlags.FireAndForget);
        }

        var backup = await world.BackUpAsync("redis");
        var facts = backup.GetProperty("manifest").GetProperty("redis");
        await using (var payload = ArtifactReader.OpenPayload(Path.Combine(world.StoragePath, backup.GetProperty("artifactName").GetString()!), new EncryptionKeys(world.Key, [])))
        {
            var head = new byte[5];
            await payload.ReadExactlyAsync(head);
            System.Text.Encoding.ASCII.GetString(head).Should().Be("REDIS", "the artifact holds the server's RDB file");
        }

        facts.GetProperty("format").GetString().Should().Be("rdb");
        facts.GetProperty("keys").GetInt64().Should().Be(504, "the keys in scope, not the other service's");
        backup.GetProperty("verificationStatus").GetString().Should().Be("passed", backup.GetProperty("verificationDetail").GetString());
        File.Exists(Path.Combine(local.Folder, "dump.rdb")).Should().BeTrue("BGSAVE wrote the server's snapshot");

        await db.StringSetAsync(prefix + "fsm:1", "changed");
        await db.KeyDeleteAsync(prefix + "chat:7");
        await db.KeyDeleteAsync(prefix + "bulk:5");
        await db.StringSetAsync(prefix + "new-after-backup", "x");
        await db.StringSetAsync("other-service:key", "changed out of scope");

        using var response = await world.Client.PostAsJsonAsync(
            new Uri($"/backups/{backup.GetProperty("id").GetGuid()}/restore", UriKind.Relative), new { into = "source", confirm = true });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        ((string?)await db.StringGetAsync(prefix + "fsm:1")).Should().Be("awaiting-name");
        (await db.HashGetAllAsync(prefix + "chat:7")).Should().HaveCount(2);
        (await db.SortedSetRangeByRankAsync(prefix + "scores")).Select(v => (string?)v).Should().Equal("a", "b");
        ((string?)await db.StringGetAsync(prefix + "bulk:5")).Should().Be("value 5");
        (await db.KeyExistsAsync(prefix + "new-after-backup")).Should().BeFalse();
        (await db.KeyTimeToLiveAsync(prefix + "seen:42")).Should().BeGreaterThan(TimeSpan.FromMinutes(50)).And.BeLessThanOrEqualTo(TimeSpan.FromHours(1));
        ((string?)await db.StringGetAsync("other-service:key")).Should().Be("changed out of scope", "keys outside Redis:KeyPrefix are not the backup's");
    }

    [Fact]
    public async Task A_corrupt_rdb_file_fails_verification_with_the_servers_reason()
    {
        await using var local = await LocalRedisServer.StartAsync();
        await using var world = await BackupWorld.StartAsync("redisrdbbad", new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = local.ConnectionString,
            ["Backup:RedisMode"] = "rdb",
            ["Backup:VerifyAfterBackup"] = "false",
        });
        await using var redis = await ConnectionMultiplexer.ConnectAsync(local.ConnectionString);
        await redis.GetDatabase().StringSetAsync(world.Resources.RedisKeyPrefix + "k", new string('v', 5000));
        var backup = await world.BackUpAsync("redis");

        // A well-sealed artifact whose RDB content is damaged (as if the server had written a bad file): only loading it can tell.
        var file = Path.Combine(world.StoragePath, backup.GetProperty("artifactName").GetString()!);
        var keys = new EncryptionKeys(world.Key, []);
        byte[] rdb;
        await using (var payload = ArtifactReader.OpenPayload(file, keys))
        using (var buffer = new MemoryStream())
        {
            await payload.CopyToAsync(buffer);
            rdb = buffer.ToArray();
        }

        rdb[^12] ^= 0xFF;
        var damaged = file + ".new";
        await using (var writer = new ArtifactWriter(damaged, keys))
        {
            await writer.Payload.WriteAsync(rdb);
            var facts = await writer.CompleteAsync(CancellationToken.None);
            await world.ExecuteAsync($"UPDATE backup_catalog SET sha256 = '{facts.Sha256}' WHERE backup_id = '{backup.GetProperty("id").GetGuid()}'", world.Resources.Database);
        }

        File.Move(damaged, file, overwrite: true);
        using var response = await world.Client.PostAsync(new Uri($"/backups/{backup.GetProperty("id").GetGuid()}/verification", UriKind.Relative), null);
        var verified = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        verified.GetProperty("verificationStatus").GetString().Should().Be("failed");
        verified.GetProperty("verificationDetail").GetString().Should().Contain("redis-server could not load the RDB file");
    }

    [Fact]
    public async Task When_the_servers_data_folder_is_not_on_this_machine_the_backup_fails_saying_to_use_logical()
    {
        await using var local = await LocalRedisServer.StartAsync();
        await using var world = await BackupWorld.StartAsync("redisrdbremote", new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = local.ConnectionString,
            ["Backup:RedisMode"] = "rdb",
        });
        var elsewhere = Directory.CreateTempSubdirectory("atlas-backup-elsewhere-").FullName;
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(local.ConnectionString + ",allowAdmin=true"))
        {
            await admin.GetServers()[0].ConfigSetAsync("dir", elsewhere);
        }

        Directory.Delete(elsewhere); // the server's data folder is gone from this machine, as if it ran elsewhere

        using var response = await world.Client.PostAsJsonAsync(new Uri("/backups", UriKind.Relative), new { target = "redis" });
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        problem.GetProperty("detail").GetString().Should().Contain("data folder").And.Contain("is not here").And.Contain("Backup:RedisMode=logical");
        (await world.ListAsync("redis")).Should().BeEmpty();
    }
}
