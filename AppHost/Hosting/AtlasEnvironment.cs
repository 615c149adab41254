using System.Globalization;

namespace Atlas.AppHost.Hosting;

/// <summary>
/// <c>ENVIRONMENT=dev|stage|prod</c> (or <c>--environment</c>): the profile the services run with, and what keeps two
/// environments on one machine apart: a data folder of their own (so their own servers, ports and secrets), database
/// names prefixed with the environment, and dashboard ports of their own.
/// </summary>
public sealed record AtlasEnvironment(
    string Name, string LogLevel, double TraceSamplingRatio, bool DebugEndpoints, string Backups, int DashboardPort)
{
    public const string Variable = "ENVIRONMENT";

    public static readonly AtlasEnvironment Dev = new("dev", "Debug", 1.0, DebugEndpoints: true, Backups: "none", 18888);

    public static readonly AtlasEnvironment Stage = new("stage", "Information", 0.25, DebugEndpoints: false, Backups: "daily", 18988);

    public static readonly AtlasEnvironment Prod = new("prod", "Warning", 0.1, DebugEndpoints: false, Backups: "hourly plus daily", 19088);

    public static IReadOnlyList<AtlasEnvironment> All { get; } = [Dev, Stage, Prod];

    private static readonly string[] FrameworkCategories =
        ["Microsoft", "System", "MassTransit", "Npgsql", "Polly", "StackExchange", "OpenTelemetry"];

    /// <summary>Database names in this environment start with it (<c>prod_gatewaydb</c>), so environments sharing a server never meet.</summary>
    public string DatabasePrefix => Name + "_";

    /// <summary>The dashboard's OTLP port, next to its UI port.</summary>
    public int OtlpPort => DashboardPort + 1;

    public string DashboardUrl => string.Create(CultureInfo.InvariantCulture, $"http://localhost:{DashboardPort}");

    public string OtlpUrl => string.Create(CultureInfo.InvariantCulture, $"http://localhost:{OtlpPort}");

    /// <summary>The environment named <paramref name="name"/> (dev, stage or prod; case does not matter), or null.</summary>
    public static AtlasEnvironment? Find(string? name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The service settings of the profile (the services' host environment stays Production everywhere, so no profile
    /// shows developer error pages): log level (Atlas's own; frameworks stay at Warning),
    /// trace sampling and the debug endpoints.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> ServiceSettings(string? samplingOverride)
    {
        yield return new("Atlas__Environment", Name);
        yield return new("Logging__LogLevel__Default", LogLevel);
        // Frameworks speak at Warning in every environment (their Information is per-request chatter, and an HTTP
        // client's request lines would name URLs); the host's start and stop lines stay.
        foreach (var category in FrameworkCategories)
        {
            yield return new($"Logging__LogLevel__{category}", "Warning");
        }

        yield return new("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Information");

        yield return new("Telemetry__SamplingRatio", samplingOverride ?? TraceSamplingRatio.ToString(CultureInfo.InvariantCulture));
        yield return new("Atlas__DebugEndpoints", DebugEndpoints ? "true" : "false");
    }

    /// <summary>
    /// The Backup service's schedule for the profile: none in dev (backups on demand still work), daily in stage,
    /// hourly database backups in prod with the last 48 hourly ones and one per day for 30 days kept.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> BackupSettings()
    {
        switch (Name)
        {
            case "dev":
                yield return new("Backup__Schedules__Enabled", "false");
                break;
            case "stage":
                yield return new("Backup__Schedules__Databases__Cron", "0 2 * * *");
                break;
            default:
                yield return new("Backup__Profile", "production");
                yield return new("Backup__Schedules__Databases__KeepLast", "48");
                yield return new("Backup__Schedules__Databases__KeepDaily", "30");
                break;
        }
    }
}
