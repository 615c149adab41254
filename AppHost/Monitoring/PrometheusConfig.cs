using System.Globalization;
using System.Text;

namespace Atlas.AppHost.Monitoring;

/// <summary>
/// The Prometheus configuration Atlas writes, locally (<c>--with-prometheus</c>) and for a deployment (<c>publish</c>):
/// one scrape job per service, named after it (the alert rules aggregate by <c>job</c>), and the rule files.
/// </summary>
internal static class PrometheusConfig
{
    /// <summary>The rule files, as copied next to the AppHost (AppHost.csproj links them from deploy/ and Services/Backup/alerts/).</summary>
    public static readonly IReadOnlyList<string> RuleFileNames = ["atlas.rules.yml", "backup.rules.yml"];

    public static string RulesFolder => Path.Combine(AppContext.BaseDirectory, "prometheus");

    public static IReadOnlyList<string> RuleFiles(string folder) => [.. RuleFileNames.Select(f => Path.Combine(folder, f))];

    /// <summary>The YAML text. <paramref name="targets"/> are (job, host:port) pairs; <paramref name="ruleFiles"/> are paths as Prometheus will see them.</summary>
    public static string Render(IEnumerable<(string Job, string Target)> targets, IEnumerable<string> ruleFiles, TimeSpan scrapeInterval)
    {
        var interval = ((int)scrapeInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        var text = new StringBuilder()
            .AppendLine("# Written by the Atlas AppHost: one job per service, named after it; the alert rules aggregate by job.")
            .AppendLine("global:")
            .AppendLine(CultureInfo.InvariantCulture, $"  scrape_interval: {interval}")
            .AppendLine(CultureInfo.InvariantCulture, $"  evaluation_interval: {interval}")
            .AppendLine("rule_files:");
        foreach (var file in ruleFiles)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  - {Quote(file)}");
        }

        text.AppendLine("scrape_configs:");
        foreach (var (job, target) in targets)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  - job_name: {Quote(job)}")
                .AppendLine("    metrics_path: /metrics")
                .AppendLine("    static_configs:")
                .AppendLine(CultureInfo.InvariantCulture, $"      - targets: [{Quote(target)}]");
        }

        return text.ToString();
    }

    // YAML single-quoted scalar: only the quote itself needs escaping.
    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
