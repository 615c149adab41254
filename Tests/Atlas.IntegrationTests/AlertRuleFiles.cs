using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Atlas.IntegrationTests;

/// <summary>
/// deploy/prometheus/atlas.rules.yml and the backup service's rules: valid for promtool, every alert with a severity
/// of the seed's levels, and every platform alert unit-tested both firing and not firing.
/// </summary>
public sealed class AlertRuleFiles
{
    private static readonly string Folder = Path.Combine(OpsTools.RepoRoot, "deploy", "prometheus");
    private static readonly string BackupRules = Path.Combine(OpsTools.RepoRoot, "Services", "Backup", "alerts", "backup.rules.yml");

    [Fact]
    public async Task Promtool_check_rules_accepts_the_platform_and_backup_rules()
    {
        var (code, output) = await OpsTools.RunAsync("promtool", Folder, "check", "rules", "atlas.rules.yml", BackupRules);

        code.Should().Be(0, output);
        output.Should().Contain("SUCCESS: 11 rules found").And.Contain("SUCCESS: 3 rules found");
    }

    [Fact]
    public async Task Promtool_test_rules_passes_every_synthetic_case()
    {
        var (code, output) = await OpsTools.RunAsync("promtool", Folder, "test", "rules", "atlas.rules.test.yml");

        code.Should().Be(0, output);
        output.Should().Contain("SUCCESS").And.NotContain("FAILED");
    }

    [Fact]
    public void Every_alert_has_a_severity_of_critical_warning_or_info_and_a_summary()
    {
        var alerts = Alerts(Path.Combine(Folder, "atlas.rules.yml")).Concat(Alerts(BackupRules)).ToList();

        alerts.Select(a => a.Name).Should().Contain(["TelegramWebhookErrors", "LlmProviderFallback", "RedisConnectionFailures", "WorkflowBacklogGrowing",
            "BackupStale", "BackupFailing", "HttpLatencyP99OverSlo", "WebhookLatencyP99OverSlo", "ModerationQueueBacklog"]);
        alerts.Should().OnlyContain(a => a.Severity == "critical" || a.Severity == "warning" || a.Severity == "info");
        alerts.Should().OnlyContain(a => a.HasSummary);
    }

    [Fact]
    public void Every_platform_alert_is_tested_both_firing_and_not_firing()
    {
        var names = Alerts(Path.Combine(Folder, "atlas.rules.yml")).Select(a => a.Name).ToList();
        var cases = new YamlStream();
        cases.Load(new StringReader(File.ReadAllText(Path.Combine(Folder, "atlas.rules.test.yml"))));
        var checks = ((YamlSequenceNode)((YamlMappingNode)cases.Documents[0].RootNode)["tests"])
            .SelectMany(t => (YamlSequenceNode)((YamlMappingNode)t)["alert_rule_test"])
            .Cast<YamlMappingNode>()
            .Select(c => (Name: c["alertname"].ToString(), Fires: ((YamlSequenceNode)c["exp_alerts"]).Children.Count > 0))
            .ToList();

        foreach (var name in names)
        {
            checks.Should().Contain((name, true), $"{name} should have a case where it fires");
            checks.Should().Contain((name, false), $"{name} should have a case where it does not fire");
        }
    }

    [Fact]
    public void Every_Atlas_metric_the_rules_use_is_an_instrument_a_service_creates()
    {
        // Instrument names in the services and ServiceDefaults, as the Prometheus exporter writes them: a unit of
        // seconds adds _seconds, a counter adds _total, a histogram is read through _bucket/_count/_sum.
        var exported = new HashSet<string>(StringComparer.Ordinal);
        var sources = Directory.EnumerateFiles(Path.Combine(OpsTools.RepoRoot, "Services"), "*Metrics.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(OpsTools.RepoRoot, "ServiceDefaults"), "*Metrics.cs", SearchOption.AllDirectories));
        foreach (var source in sources)
        {
            foreach (Match match in Regex.Matches(File.ReadAllText(source), @"Create(Counter|Histogram|ObservableGauge|Gauge|UpDownCounter)(?:<\w+>)?\(\s*""([a-z0-9_]+)""([^;]*)"))
            {
                var name = match.Groups[2].Value + (match.Groups[3].Value.Contains("unit: \"s\"", StringComparison.Ordinal) ? "_seconds" : "");
                exported.UnionWith(match.Groups[1].Value switch
                {
                    "Counter" => [name + "_total"],
                    "Histogram" => [name + "_bucket", name + "_count", name + "_sum"],
                    _ => [name],
                });
            }
        }

        var rules = File.ReadAllText(Path.Combine(Folder, "atlas.rules.yml")) + File.ReadAllText(BackupRules);
        var used = Regex.Matches(rules, @"\b((?:luka|telegram|moderation|backup|atlas)_[a-z0-9_]+)\b").Select(m => m.Groups[1].Value).Distinct().ToList();

        exported.Should().Contain("luka_llm_fallback_total").And.Contain("telegram_webhook_request_duration_seconds_bucket");
        used.Should().NotBeEmpty().And.OnlyContain(m => exported.Contains(m), "a rule on a metric nobody exports never fires");
    }

    private static IEnumerable<(string Name, string? Severity, bool HasSummary)> Alerts(string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(file)));
        foreach (var group in (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"])
        {
            foreach (var rule in ((YamlSequenceNode)((YamlMappingNode)group)["rules"]).Cast<YamlMappingNode>())
            {
                var labels = (YamlMappingNode)rule["labels"];
                var annotations = (YamlMappingNode)rule["annotations"];
                yield return (rule["alert"].ToString(), labels.Children.TryGetValue(new YamlScalarNode("severity"), out var severity) ? severity.ToString() : null,
                    annotations.Children.ContainsKey(new YamlScalarNode("summary")));
            }
        }
    }
}
