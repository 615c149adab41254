using System.Diagnostics;
using Atlas.Backup.Tests.Support;
using Atlas.Testing;

namespace Atlas.Backup.Tests;

/// <summary>The Prometheus rules in Services/Backup/alerts are valid, behave as their unit tests say, and use metrics the service exports.</summary>
public sealed class AlertRules
{
    private static readonly string Folder = Path.Combine(RepositoryFolder.Root, "Services", "Backup", "alerts");

    [Fact]
    public async Task Promtool_check_rules_accepts_the_rule_file()
    {
        var (code, output) = await PromtoolAsync("check", "rules", "backup.rules.yml");

        code.Should().Be(0, output);
        output.Should().Contain("SUCCESS: 3 rules found");
    }

    [Fact]
    public async Task Promtool_test_rules_passes_the_stale_failure_and_verification_cases()
    {
        var (code, output) = await PromtoolAsync("test", "rules", "backup.rules.test.yml");

        code.Should().Be(0, output);
        output.Should().Contain("SUCCESS");
    }

    [Fact]
    public async Task The_metrics_the_rules_use_are_on_the_metrics_endpoint_after_a_backup()
    {
        await using var world = await BackupWorld.StartAsync("metrics");
        await world.BackUpAsync("configuration");

        var metrics = await Eventually.PollAsync(
            () => world.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            text => text.Contains("backup_verification_status{", StringComparison.Ordinal));

        metrics.Should().Contain("backup_last_success_timestamp_seconds{").And.Contain("target=\"configuration\"");
        metrics.Should().Contain("backup_duration_seconds_bucket{").And.Contain("backup_size_bytes{");
        var rules = await File.ReadAllTextAsync(Path.Combine(Folder, "backup.rules.yml"));
        rules.Should().Contain("backup_last_success_timestamp_seconds").And.Contain("backup_interval_seconds").And.Contain("backup_failures_total");
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("promtool") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().BeTrue("promtool finishes");
        return (process.ExitCode, await output + await errors);
    }
}
