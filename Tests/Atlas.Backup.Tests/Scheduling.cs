using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Backup.Tests.Support;
using Atlas.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Backup.Tests;

/// <summary>Schedules run on the service's clock: a missed run is caught up at start, the next one fires on its cron.</summary>
public sealed class Scheduling
{
    [Fact]
    public async Task A_missed_run_is_caught_up_once_at_start_and_the_next_fires_on_the_cron()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 5, 0, 0, TimeSpan.Zero));
        await using var world = await BackupWorld.StartScheduledAsync("schedule", clock);

        var caughtUp = await Eventually.PollAsync(() => world.ListAsync(), list => list.Length >= 4);
        clock.Advance(TimeSpan.FromHours(1));
        await Eventually.PollAsync(() => world.ListAsync("gatewaydb"), list => list.Length == 2);
        var all = await world.ListAsync();

        caughtUp.Select(b => b.GetProperty("target").GetString()).Should().BeEquivalentTo(["backupdb", "gatewaydb", "redis", "configuration"]);
        caughtUp.Should().OnlyContain(b => b.GetProperty("trigger").GetString() == "schedule");
        all.Where(b => b.GetProperty("target").GetString() == "redis").Should().HaveCount(1, "Redis is backed up daily at 03:00, not at 06:00");
        all.Where(b => b.GetProperty("target").GetString() == "gatewaydb").Select(b => b.GetProperty("startedAt").GetDateTimeOffset())
            .Should().Contain(new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Two_backups_of_one_target_requested_together_run_one_after_the_other()
    {
        await using var world = await BackupWorld.StartAsync("overlap", new Dictionary<string, string?> { ["Backup:VerifyAfterBackup"] = "false" });
        await world.ExecuteAsync("CREATE TABLE t (id int, pad text); INSERT INTO t SELECT g, repeat('x', 500) FROM generate_series(1, 20000) g;");

        var runs = await Task.WhenAll(world.BackUpAsync("gatewaydb"), world.BackUpAsync("gatewaydb"));
        var spans = runs.Select(r => (Start: r.GetProperty("startedAt").GetDateTimeOffset(), End: r.GetProperty("completedAt").GetDateTimeOffset()))
            .OrderBy(s => s.Start).ToArray();

        spans[1].Start.Should().BeOnOrAfter(spans[0].End);
    }

    [Fact]
    public async Task Retention_runs_after_each_backup_and_removes_the_artifacts_it_expires()
    {
        await using var world = await BackupWorld.StartAsync("retention", new Dictionary<string, string?>
        {
            ["Backup:Schedules:Targets:configuration:KeepLast"] = "2",
        });

        var first = await world.BackUpAsync("configuration");
        await world.BackUpAsync("configuration");
        await world.BackUpAsync("configuration");
        var left = await world.ListAsync("configuration");

        left.Should().HaveCount(2);
        left.Select(b => b.GetProperty("id").GetGuid()).Should().NotContain(first.GetProperty("id").GetGuid());
        File.Exists(Path.Combine(world.StoragePath, first.GetProperty("artifactName").GetString()!)).Should().BeFalse();
        File.Exists(Path.Combine(world.StoragePath, first.GetProperty("artifactName").GetString()! + ".manifest.json")).Should().BeFalse();
    }

    [Fact]
    public async Task The_configuration_snapshot_leaves_out_secrets()
    {
        await using var world = await BackupWorld.StartAsync("configsnap", new Dictionary<string, string?> { ["Telegram:BotToken"] = "123:very-secret-token" });

        var backup = await world.BackUpAsync("configuration");
        var file = Path.Combine(world.StoragePath, backup.GetProperty("artifactName").GetString()!);
        var keys = new Atlas.Backup.Artifacts.EncryptionKeys(world.Key, []);
        await using var payload = Atlas.Backup.Artifacts.ArtifactReader.OpenPayload(file, keys);
        var snapshot = await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(payload);

        snapshot.Should().ContainKey("Backup:Storage:Path").And.NotContainKey("Telegram:BotToken").And.NotContainKey("Backup:EncryptionKey");
        snapshot!.Values.Should().NotContain(v => v.Contains("very-secret-token") || v.Contains(world.Key));
        snapshot["ConnectionStrings:gatewaydb"].Should().NotContain(new Npgsql.NpgsqlConnectionStringBuilder(world.Source).Password!);
        backup.GetProperty("verificationStatus").GetString().Should().Be("passed");
    }
}
