using System.Text;
using Atlas.AppHost.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.AppHost.Deploy;

/// <summary>
/// <c>publish --output &lt;dir&gt;</c>, Atlas's part (Aspire's manifest publisher writes <c>aspire-manifest.json</c>):
/// from the same application model, <c>k8s/</c>, <c>compose/</c> and <c>prometheus/</c>. The Sandbox is not deployed.
/// </summary>
internal static class DeployArtifacts
{
    public const string PrometheusFolder = "/etc/prometheus";

    public static async Task<IReadOnlyList<string>> WriteAsync(IServiceProvider services, string output, CancellationToken cancellationToken)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var execution = services.GetRequiredService<DistributedApplicationExecutionContext>();
        var deployed = new List<DeployedService>();
        foreach (var project in model.Resources.OfType<ProjectResource>().Where(p => p.Name != "sandbox"))
        {
            deployed.Add(new DeployedService(project.Name, DeployedService.ImageOf(project),
                await EnvironmentContract.ReadAsync(project, execution, cancellationToken).ConfigureAwait(false)));
        }

        var prometheus = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["prometheus.yml"] = PrometheusConfig.Render(
                deployed.Select(s => (s.Name, $"{s.Name}:{DeployedService.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}")),
                PrometheusConfig.RuleFiles(PrometheusFolder), TimeSpan.FromSeconds(15)),
        };
        foreach (var rules in PrometheusConfig.RuleFiles(PrometheusConfig.RulesFolder))
        {
            prometheus[Path.GetFileName(rules)] = await File.ReadAllTextAsync(rules, cancellationToken).ConfigureAwait(false);
        }

        var written = new List<string>();
        await WriteFolderAsync(output, "prometheus", prometheus, written, cancellationToken).ConfigureAwait(false);
        await WriteFolderAsync(output, "k8s", KubernetesManifests.Render(deployed, prometheus), written, cancellationToken).ConfigureAwait(false);
        await WriteFolderAsync(output, "compose", ComposeFile.Render(deployed), written, cancellationToken).ConfigureAwait(false);
        return written;
    }

    private static async Task WriteFolderAsync(string output, string folder, IReadOnlyDictionary<string, string> files, List<string> written, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(output, folder)).FullName;
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(directory, name);
            await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }
    }
}
