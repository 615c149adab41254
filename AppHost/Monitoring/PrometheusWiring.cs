using System.Globalization;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;

namespace Atlas.AppHost.Monitoring;

/// <summary>A local Prometheus: Debian's binary as an executable resource, scraping what the AppHost runs.</summary>
internal sealed class PrometheusResource(string name, string command, string workingDirectory, string configFile, IReadOnlyList<ProjectResource> scraped)
    : ExecutableResource(name, command, workingDirectory)
{
    public string ConfigFile { get; } = configFile;

    /// <summary>Every service it scrapes (each a job of the same name).</summary>
    public IReadOnlyList<ProjectResource> Scraped { get; } = scraped;

    /// <summary>The rule files it loads, next to the AppHost.</summary>
    public IReadOnlyList<string> RuleFiles { get; } = PrometheusConfig.RuleFiles(PrometheusConfig.RulesFolder);

    /// <summary>The configuration, with <paramref name="target"/> giving each service's host:port.</summary>
    public string RenderConfig(Func<ProjectResource, string> target) =>
        PrometheusConfig.Render(Scraped.Select(s => (s.Name, target(s))), RuleFiles, TimeSpan.FromSeconds(5));
}

internal static class PrometheusWiring
{
    public const string DefaultBinary = "/usr/bin/prometheus";

    /// <summary>
    /// <c>--with-prometheus</c>: Prometheus on a fixed loopback port (kept in the data folder like the servers'), its
    /// own data under the data folder, a configuration written just before it starts from the services' allocated
    /// endpoints, and the Atlas and backup alert rules. Its URL is shown in the dashboard.
    /// </summary>
    public static IResourceBuilder<PrometheusResource> AddAtlasPrometheus(this IDistributedApplicationBuilder builder, AtlasHostSettings settings)
    {
        var binary = builder.Configuration["Atlas:PrometheusPath"] ?? DefaultBinary;
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"--with-prometheus needs {binary}: sudo apt-get install -y prometheus (or set Atlas:PrometheusPath).");
        }

        var folder = settings.Data.For("prometheus");
        var configFile = Path.Combine(folder, "prometheus.yml");
        var port = settings.Data.Port("prometheus");
        var services = builder.Resources.OfType<ProjectResource>().ToList();
        var resource = new PrometheusResource("prometheus", binary, folder, configFile, services);
        var prometheus = builder.AddResource(resource)
            .WithArgs(
                $"--config.file={configFile}",
                $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                settings.Persistent ? "--storage.tsdb.retention.time=15d" : "--storage.tsdb.retention.time=1d")
            .WithHttpEndpoint(port: port, targetPort: port, name: "http", isProxied: false)
            .WithHttpHealthCheck("/-/ready")
            .WithEnvironment(OwnerMark.Variable, settings.OwnerMark)
            .OnBeforeResourceStarted(async (r, _, ct) =>
            {
                var targets = new Dictionary<ProjectResource, string>();
                foreach (var service in r.Scraped)
                {
                    targets[service] = await service.GetEndpoint("http").Property(EndpointProperty.HostAndPort).GetValueAsync(ct).ConfigureAwait(false) ?? "";
                }

                await PrivateFile.WriteAsync(configFile, r.RenderConfig(s => targets[s]), ct).ConfigureAwait(false);
            });
        return prometheus;
    }
}
