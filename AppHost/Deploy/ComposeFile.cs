using System.Globalization;
using static Atlas.AppHost.Deploy.Yaml;

namespace Atlas.AppHost.Deploy;

/// <summary>
/// A Docker Compose file for one host: every service from its image, fixed values inline, everything else a required
/// variable (<c>${ATLAS_...:?}</c>, listed with empty values in <c>.env.example</c>), and Prometheus with the rules.
/// </summary>
internal static class ComposeFile
{
    private const string Header = "# Written by `dotnet run --project AppHost -- publish`. Fill .env (from .env.example), then: docker compose up -d\n";

    public static IReadOnlyDictionary<string, string> Render(IReadOnlyList<DeployedService> services)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var entries = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            var environment = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["ASPNETCORE_HTTP_PORTS"] = DeployedService.Port.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var setting in service.Environment)
            {
                if (setting.Kind == SettingKind.Literal)
                {
                    environment[setting.Key] = setting.Value;
                    continue;
                }

                var variable = Variable(setting);
                variables[variable] = setting.Kind == SettingKind.ConnectionString ? $"connection string of {setting.Value}" : setting.Value;
                environment[setting.Key] = $"${{{variable}:?set {variable} in .env}}";
            }

            var backup = service.Name == "backup";
            entries[service.Name] = Map(
                ("image", service.Image),
                ("restart", "unless-stopped"),
                ("environment", environment),
                ("ports", service.Name == "gateway" ? new[] { $"{DeployedService.Port.ToString(CultureInfo.InvariantCulture)}:{DeployedService.Port.ToString(CultureInfo.InvariantCulture)}" } : null),
                ("volumes", backup ? new[] { $"backups:{ServiceWiring.DeployedBackupPath}" } : null));
        }

        entries["prometheus"] = Map(
            ("image", "prom/prometheus:v2.53.0"),
            ("restart", "unless-stopped"),
            ("command", new List<string> { "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus" }),
            ("volumes", new List<string> { "../prometheus:/etc/prometheus:ro", "prometheus:/prometheus" }),
            ("ports", new List<string> { "127.0.0.1:9090:9090" }));
        var compose = Map(("name", "atlas"), ("services", entries), ("volumes", Map(("backups", Map()), ("prometheus", Map()))));
        var example = "# Every variable compose.yaml needs; values never go into the repository.\n"
            + string.Concat(variables.Select(v => $"# {v.Value}\n{v.Key}=\n"));
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["compose.yaml"] = Documents(Header, [compose]),
            [".env.example"] = example,
        };
    }

    /// <summary>ATLAS_ plus the parameter or connection name (or the key) in upper snake case.</summary>
    public static string Variable(Setting setting) =>
        "ATLAS_" + (setting.Kind == SettingKind.ConnectionString ? "CONNECTION_" + setting.Value : setting.Value)
            .Replace('-', '_').Replace("__", "_", StringComparison.Ordinal).ToUpperInvariant();
}
