using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Atlas.IntegrationTests;

/// <summary>
/// <c>Atlas.AppHost publish --output &lt;dir&gt;</c>, run as ops run it, with known secret values configured: the Aspire
/// manifest, the Kubernetes manifests, the Compose file and the Prometheus config, read back and checked against the
/// model's environment contract, and searched for the secrets.
/// </summary>
public sealed class PublishArtifacts : IAsyncLifetime
{
    private static readonly string[] Services = ["gateway", "moderation", "llmrouter", "workflow", "backup"];

    private static readonly string[] KnownSecrets =
    [
        // Built from parts, so the source holds nothing shaped like a real bot token.
        "123456789" + ":" + "KnownBotTokenValue_abcdefghijklmnopqrs", "sk-known-openai-key-1234", "KnownRedisPassword77", "KnownPostgresPassword88",
        "KnownRabbitPassword99", "known-gateway-admin-key-55", "known-camunda-secret-66", "known-backup-encryption-key-44",
    ];

    private readonly string _output = Path.Combine(Directory.CreateTempSubdirectory("atlas-publish-test-").FullName, "out");
    private string _console = "";
    private int _exitCode;

    public async Task InitializeAsync()
    {
        (_exitCode, _console) = await OpsTools.RunAsync("dotnet", OpsTools.RepoRoot, OpsTools.AppHostDll, "publish", "--output", _output,
            $"--Parameters:telegram-bot-token={KnownSecrets[0]}",
            $"--Parameters:openai-api-key={KnownSecrets[1]}",
            $"--ConnectionStrings:redis=redis.internal:6379,password={KnownSecrets[2]}",
            $"--ConnectionStrings:gatewaydb=Host=pg.internal;Database=gatewaydb;Username=atlas;Password={KnownSecrets[3]}",
            $"--ConnectionStrings:rabbitmq=amqp://atlas:{KnownSecrets[4]}@mq.internal:5672/",
            $"--Parameters:gateway-admin-key={KnownSecrets[5]}",
            $"--Parameters:camunda-client-secret={KnownSecrets[6]}",
            $"--Parameters:backup-encryption-key={KnownSecrets[7]}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(_output)!, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void Publish_writes_every_artifact_and_prints_their_sizes()
    {
        _exitCode.Should().Be(0, _console);
        foreach (var file in (string[])["aspire-manifest.json", "k8s/connections.yaml", "k8s/gateway-scaling.yaml", "k8s/prometheus-config.yaml",
                     "compose/compose.yaml", "compose/.env.example", "prometheus/prometheus.yml", "prometheus/atlas.rules.yml", "prometheus/backup.rules.yml"])
        {
            File.Exists(Path.Combine(_output, file)).Should().BeTrue(file);
        }

        Services.Should().OnlyContain(s => File.Exists(Path.Combine(_output, "k8s", s + ".yaml")));
        _console.Should().MatchRegex(@"[\d,]+ B  in \d+ files under ");
    }

    [Fact]
    public void No_secret_value_appears_in_any_artifact()
    {
        _exitCode.Should().Be(0, _console);
        foreach (var file in Directory.EnumerateFiles(_output, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            foreach (var secret in KnownSecrets)
            {
                text.Should().NotContain(secret, $"{Path.GetRelativePath(_output, file)} must not carry a secret");
            }
        }

        _console.Should().NotContainAny(KnownSecrets);
    }

    [Fact]
    public void The_Aspire_manifest_has_every_service_and_its_servers_as_connection_string_parameters()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "aspire-manifest.json")));
        var resources = manifest.RootElement.GetProperty("resources");

        foreach (var service in Services)
        {
            resources.GetProperty(service).GetProperty("type").GetString().Should().StartWith("project.");
        }

        foreach (var server in (string[])["redis", "rabbitmq", "gatewaydb", "moderationdb", "llmdb", "workflowdb", "backupdb"])
        {
            resources.GetProperty(server).GetProperty("type").GetString().Should().Be("parameter.v0", $"{server} is a managed service named by its connection string");
        }

        resources.TryGetProperty("sandbox", out _).Should().BeFalse("the Sandbox is for local runs only");
    }

    [Fact]
    public void Every_service_has_a_Deployment_with_probes_and_resources_a_Service_and_its_whole_environment_contract()
    {
        foreach (var service in Services)
        {
            var documents = Documents(Path.Combine("k8s", service + ".yaml"));
            var config = Scalars(Single(documents, "ConfigMap")["data"]);
            var secret = Scalars(Single(documents, "Secret")["stringData"]);
            var deployment = Single(documents, "Deployment");
            Single(documents, "Service");
            var container = (YamlMappingNode)((YamlSequenceNode)At(deployment, "spec", "template", "spec", "containers")).Children[0];

            At(container, "livenessProbe", "httpGet", "path").ToString().Should().Be("/alive", service);
            At(container, "readinessProbe", "httpGet", "path").ToString().Should().Be("/readyz", service);
            At(container, "resources", "requests", "memory").ToString().Should().NotBeEmpty();
            At(container, "resources", "limits", "memory").ToString().Should().NotBeEmpty();
            container["image"].ToString().Should().Be($"atlas/{service}:1.0.0", "the image comes from the project's container properties");
            var env = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => e["name"].ToString(), e => At(e, "valueFrom", "secretKeyRef"));

            foreach (var key in ManifestEnvironment(service))
            {
                (config.ContainsKey(key) || secret.ContainsKey(key) || env.ContainsKey(key)).Should().BeTrue($"{service} needs {key}");
            }

            env.Should().NotBeEmpty().And.OnlyContain(e => e.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                && ((YamlMappingNode)e.Value)["name"].ToString() == "atlas-connections");
            secret.Values.Should().OnlyContain(v => v.StartsWith("<set ", StringComparison.Ordinal), "Secrets carry placeholders only");
        }

        Scalars(Single(Documents("k8s/gateway.yaml"), "Secret")["stringData"]).Keys.Should().Contain(["Telegram__BotToken", "Gateway__AdminApiKey"]);
        Scalars(Single(Documents("k8s/connections.yaml"), "Secret")["stringData"]).Keys.Should().Contain(["redis", "rabbitmq", "gatewaydb", "backupdb"]);
    }

    [Fact]
    public void The_gateway_has_a_disruption_budget_and_an_autoscaler()
    {
        var documents = Documents("k8s/gateway-scaling.yaml");

        At(Single(documents, "PodDisruptionBudget"), "spec", "minAvailable").ToString().Should().Be("1");
        var hpa = Single(documents, "HorizontalPodAutoscaler");
        At(hpa, "spec", "scaleTargetRef", "name").ToString().Should().Be("gateway");
        int.Parse(At(hpa, "spec", "minReplicas").ToString(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(1);
    }

    [Fact]
    public void The_compose_file_runs_every_service_with_its_environment_contract_and_required_variables()
    {
        var compose = (YamlMappingNode)Documents("compose/compose.yaml")[0];
        var services = (YamlMappingNode)compose["services"];
        var example = File.ReadAllText(Path.Combine(_output, "compose", ".env.example"));

        foreach (var service in Services)
        {
            var entry = (YamlMappingNode)services[service];
            entry["image"].ToString().Should().Be($"atlas/{service}:1.0.0");
            var environment = Scalars(entry["environment"]);
            environment.Keys.Should().Contain(ManifestEnvironment(service), service);
            foreach (var variable in environment.Values.Where(v => v.StartsWith("${", StringComparison.Ordinal)))
            {
                var name = variable[2..variable.IndexOf(':', StringComparison.Ordinal)];
                example.Should().Contain($"\n{name}=\n", "every required variable is listed, empty, in .env.example");
            }
        }

        Scalars(((YamlMappingNode)services["gateway"])["environment"])["Telegram__BotToken"].Should().StartWith("${ATLAS_TELEGRAM_BOT_TOKEN:?");
        services.Children.Should().ContainKey(new YamlScalarNode("prometheus"));
    }

    [Fact]
    public async Task The_Prometheus_config_scrapes_every_service_and_promtool_accepts_it_with_the_rules()
    {
        var text = File.ReadAllText(Path.Combine(_output, "prometheus", "prometheus.yml"));
        foreach (var service in Services)
        {
            text.Should().Contain($"job_name: '{service}'").And.Contain($"targets: ['{service}:8080']");
        }

        File.ReadAllText(Path.Combine(_output, "k8s", "prometheus-config.yaml")).Should().Contain("atlas.rules.yml").And.Contain("TelegramWebhookErrors");
        // The config names the rules where the containers mount them; check it against the copies here.
        var folder = Path.Combine(_output, "prometheus");
        await File.WriteAllTextAsync(Path.Combine(folder, "local.yml"), text.Replace("/etc/prometheus", folder, StringComparison.Ordinal));
        var (code, output) = await OpsTools.RunAsync("promtool", folder, "check", "config", "local.yml");
        code.Should().Be(0, output);
        output.Should().Contain("SUCCESS: 11 rules found").And.Contain("SUCCESS: 3 rules found");
    }

    // The environment Aspire's manifest gives the service, less what only the local orchestrator sets.
    private List<string> ManifestEnvironment(string service)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "aspire-manifest.json")));
        return [.. manifest.RootElement.GetProperty("resources").GetProperty(service).GetProperty("env").EnumerateObject()
            .Select(p => p.Name).Where(n => n is not "HTTP_PORTS")];
    }

    private List<YamlNode> Documents(string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(_output, file))));
        return [.. yaml.Documents.Select(d => d.RootNode)];
    }

    private static YamlMappingNode Single(List<YamlNode> documents, string kind) =>
        documents.Cast<YamlMappingNode>().Should().ContainSingle(d => d["kind"].ToString() == kind).Subject;

    private static YamlNode At(YamlNode node, params string[] keys) => keys.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);

    private static Dictionary<string, string> Scalars(YamlNode node) =>
        ((YamlMappingNode)node).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString());
}
