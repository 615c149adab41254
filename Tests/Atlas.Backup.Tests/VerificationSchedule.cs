using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Backup.Tests.Support;
using Atlas.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Backup.Tests;

/// <summary>The newest backup of each target is re-verified on its own cron, apart from the backup schedule, and the outcome recorded.</summary>
public sealed class VerificationSchedule
{
    [Fact]
    public async Task At_the_verify_cron_the_newest_backups_are_verified_again_and_an_artifact_rotten_at_rest_is_caught()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 3, 50, 0, TimeSpan.Zero));
        await using var world = await BackupWorld.StartScheduledAsync("verifycron", clock, new Dictionary<string, string?>
        {
            ["Backup:Schedules:CatchUpMissedRuns"] = "false",
            ["Backup:Schedules:Targets:gatewaydb:VerifyCron"] = "0 4 * * *",
            ["Backup:Schedules:Targets:configuration:VerifyCron"] = "0 4 * * *",
        });
        await world.ExecuteAsync("CREATE TABLE t (id int, note text); INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 500) g;");
        var database = await world.BackUpAsync("gatewaydb");
        var configuration = await world.BackUpAsync("configuration");
        var rotten = Path.Combine(world.StoragePath, configuration.GetProperty("artifactName").GetString()!);
        var bytes = await File.ReadAllBytesAsync(rotten);
        bytes[^20] ^= 0x01;
        await File.WriteAllBytesAsync(rotten, bytes);
        database.GetProperty("verificationStatus").GetString().Should().Be("pending");

        clock.Advance(TimeSpan.FromMinutes(10));
        var list = await Eventually.PollAsync(() => world.ListAsync(), l => l.All(b => b.GetProperty("verificationStatus").GetString() != "pending"));
        var history = await world.Client.GetFromJsonAsync<JsonElement>(new Uri($"/backups/{database.GetProperty("id").GetGuid()}/verifications", UriKind.Relative));

        list.Should().HaveCount(2, "verifying takes no new backup");
        var byTarget = list.ToDictionary(b => b.GetProperty("target").GetString()!);
        byTarget["gatewaydb"].GetProperty("verificationStatus").GetString().Should().Be("passed", byTarget["gatewaydb"].GetProperty("verificationDetail").GetString());
        byTarget["gatewaydb"].GetProperty("verifiedAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 3, 2, 4, 0, 0, TimeSpan.Zero));
        byTarget["configuration"].GetProperty("verificationStatus").GetString().Should().Be("failed");
        byTarget["configuration"].GetProperty("verificationDetail").GetString().Should().Contain("SHA-256");
        history.EnumerateArray().Select(v => (v.GetProperty("trigger").GetString(), v.GetProperty("status").GetString())).Should().Equal(("schedule", "passed"));
    }
}
