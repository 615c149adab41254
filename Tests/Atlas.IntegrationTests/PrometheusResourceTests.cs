using Atlas.AppHost.Monitoring;

namespace Atlas.IntegrationTests;

/// <summary><c>--with-prometheus</c>: the model gets a local Prometheus that scrapes every service and loads the alert rules.</summary>
public sealed class PrometheusResourceTests : IDisposable
{
    private readonly string _dataRoot = Directory.CreateTempSubdirectory("atlas-model-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("atlas-promconfig-").FullName;

    [Fact]
    public async Task Without_the_flag_there_is_no_Prometheus()
    {
        await using var builder = await CreateAsync();

        builder.Resources.Should().NotContain(r => r.Name == "prometheus");
    }

    [Fact]
    public async Task With_the_flag_Prometheus_runs_from_the_Debian_binary_with_its_own_data_and_an_http_endpoint()
    {
        await using var builder = await CreateAsync("--with-prometheus");

        var prometheus = builder.Resources.OfType<PrometheusResource>().Should().ContainSingle().Subject;
        prometheus.Name.Should().Be("prometheus");
        prometheus.Command.Should().Be("/usr/bin/prometheus");
        prometheus.WorkingDirectory.Should().Be(Path.Combine(_dataRoot, "prometheus"));
        prometheus.ConfigFile.Should().StartWith(_dataRoot);
        var endpoint = prometheus.Annotations.OfType<EndpointAnnotation>().Should().ContainSingle().Subject;
        endpoint.Name.Should().Be("http");
        endpoint.Port.Should().BeGreaterThan(0, "a fixed port, so the dashboard shows its URL");
        var args = await ArgsOfAsync(prometheus);
        args.Should().Contain($"--config.file={prometheus.ConfigFile}").And.Contain($"--storage.tsdb.path={Path.Combine(_dataRoot, "prometheus", "data")}")
            .And.Contain($"--web.listen-address=127.0.0.1:{endpoint.Port}");
    }

    [Fact]
    public async Task Its_config_scrapes_every_service_and_loads_the_rules_and_promtool_accepts_it()
    {
        await using var builder = await CreateAsync("--with-prometheus");
        var prometheus = builder.Resources.OfType<PrometheusResource>().Single();
        var services = builder.Resources.OfType<ProjectResource>().Select(r => r.Name).ToList();

        var port = 9100;
        var config = prometheus.RenderConfig(_ => $"127.0.0.1:{port++}");

        services.Should().Contain(["gateway", "moderation", "llmrouter", "workflow", "backup", "sandbox"]);
        prometheus.Scraped.Select(s => s.Name).Should().BeEquivalentTo(services);
        foreach (var service in services)
        {
            config.Should().Contain($"job_name: '{service}'");
        }

        prometheus.RuleFiles.Select(Path.GetFileName).Should().BeEquivalentTo(["atlas.rules.yml", "backup.rules.yml"]);
        prometheus.RuleFiles.Should().OnlyContain(f => File.Exists(f), "the rule files are copied next to the AppHost");
        config.Should().Contain($"'{prometheus.RuleFiles[0]}'").And.Contain($"'{prometheus.RuleFiles[1]}'");

        var file = Path.Combine(_work, "prometheus.yml");
        await File.WriteAllTextAsync(file, config);
        var (code, output) = await OpsTools.RunAsync("promtool", _work, "check", "config", file);
        code.Should().Be(0, output);
        output.Should().Contain("SUCCESS: 2 rule files found");
    }

    public void Dispose()
    {
        Directory.Delete(_dataRoot, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    private static async Task<List<string>> ArgsOfAsync(PrometheusResource resource)
    {
        var context = new CommandLineArgsCallbackContext([], resource);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return [.. context.Args.Select(a => a.ToString() ?? "")];
    }

    private Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(["--data", _dataRoot, "--ephemeral", .. args]);
}
