using static Atlas.AppHost.Deploy.Yaml;

namespace Atlas.AppHost.Deploy;

/// <summary>
/// Kubernetes manifests: per service a ConfigMap and a Secret (placeholders only) for its environment contract, a
/// Deployment with <c>/alive</c> and <c>/readyz</c> probes and resource requests/limits, and a Service; one Secret
/// of connection strings for the managed Redis, PostgreSQL and RabbitMQ; a PodDisruptionBudget and a
/// HorizontalPodAutoscaler for the gateway; the Prometheus configuration as a ConfigMap.
/// </summary>
internal static class KubernetesManifests
{
    public const string ConnectionsSecret = "atlas-connections";
    private const string Header = "# Written by `dotnet run --project AppHost -- publish`. Replace every <set ...> placeholder before applying.\n";

    /// <summary>Requests above the services' idle working set measured on the local stack (190 to 220 MiB, see docs/operations.md), limits with headroom.</summary>
    private static readonly Dictionary<string, object> Resources = Map(
        ("requests", Map(("cpu", "100m"), ("memory", "256Mi"))),
        ("limits", Map(("cpu", "1"), ("memory", "768Mi"))));

    public static IReadOnlyDictionary<string, string> Render(IReadOnlyList<DeployedService> services, IReadOnlyDictionary<string, string> prometheusFiles)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            files[$"{service.Name}.yaml"] = Documents(Header, ForService(service));
        }

        var connections = services.SelectMany(s => s.Environment).Where(e => e.Kind == SettingKind.ConnectionString)
            .Select(e => e.Value).Distinct().Order(StringComparer.Ordinal).ToList();
        files["connections.yaml"] = Documents(Header, [Secret(ConnectionsSecret, connections.Select(c => (c, $"<set the connection string of {c}>")))]);
        files["gateway-scaling.yaml"] = Documents(Header, GatewayScaling());
        files["prometheus-config.yaml"] = Documents(Header, [Map(
            ("apiVersion", "v1"), ("kind", "ConfigMap"),
            ("metadata", Metadata("atlas-prometheus", "prometheus")),
            ("data", prometheusFiles.ToDictionary(f => f.Key, f => (object)f.Value, StringComparer.Ordinal)))]);
        return files;
    }

    private static IEnumerable<object> ForService(DeployedService service)
    {
        var config = service.Environment.Where(e => e.Kind is SettingKind.Literal or SettingKind.Setting)
            .ToDictionary(e => e.Key, e => (object)(e.Kind == SettingKind.Literal ? e.Value : e.Placeholder), StringComparer.Ordinal);
        config["ASPNETCORE_HTTP_PORTS"] = DeployedService.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return Map(("apiVersion", "v1"), ("kind", "ConfigMap"), ("metadata", Metadata($"{service.Name}-config", service.Name)), ("data", config));
        yield return Secret($"{service.Name}-secrets", service.Environment.Where(e => e.Kind == SettingKind.Secret).Select(e => (e.Key, e.Placeholder)), service.Name);
        if (service.Name == "backup")
        {
            yield return Map(("apiVersion", "v1"), ("kind", "PersistentVolumeClaim"), ("metadata", Metadata("backup-storage", service.Name)),
                ("spec", Map(("accessModes", new List<string> { "ReadWriteOnce" }), ("resources", Map(("requests", Map(("storage", "20Gi"))))))));
        }

        yield return Deployment(service);
        yield return Map(("apiVersion", "v1"), ("kind", "Service"), ("metadata", Metadata(service.Name, service.Name)),
            ("spec", Map(("selector", Selector(service.Name)), ("ports", new[] { Map(("name", "http"), ("port", DeployedService.Port), ("targetPort", "http")) }))));
    }

    private static Dictionary<string, object> Deployment(DeployedService service)
    {
        var env = service.Environment.Where(e => e.Kind == SettingKind.ConnectionString)
            .Select(e => Map(("name", e.Key), ("valueFrom", Map(("secretKeyRef", Map(("name", ConnectionsSecret), ("key", e.Value)))))))
            .ToList();
        var backup = service.Name == "backup";
        var container = Map(
            ("name", service.Name),
            ("image", service.Image),
            ("ports", new[] { Map(("name", "http"), ("containerPort", DeployedService.Port)) }),
            ("envFrom", new[] { Map(("configMapRef", Map(("name", $"{service.Name}-config")))), Map(("secretRef", Map(("name", $"{service.Name}-secrets")))) }),
            ("env", env.Count > 0 ? env : null),
            ("startupProbe", Probe("/alive", periodSeconds: 5, failureThreshold: 30)),
            ("livenessProbe", Probe("/alive", periodSeconds: 10, failureThreshold: 3)),
            ("readinessProbe", Probe("/readyz", periodSeconds: 10, failureThreshold: 3)),
            ("resources", Resources),
            ("volumeMounts", backup ? new[] { Map(("name", "backups"), ("mountPath", ServiceWiring.DeployedBackupPath)) } : null));
        var pod = Map(
            ("metadata", Map(("labels", Labels(service.Name)), ("annotations", Map(
                ("prometheus.io/scrape", "true"), ("prometheus.io/port", DeployedService.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("prometheus.io/path", "/metrics"))))),
            ("spec", Map(
                ("terminationGracePeriodSeconds", 30),
                ("containers", new[] { container }),
                ("volumes", backup ? new[] { Map(("name", "backups"), ("persistentVolumeClaim", Map(("claimName", "backup-storage")))) } : null))));
        return Map(("apiVersion", "apps/v1"), ("kind", "Deployment"), ("metadata", Metadata(service.Name, service.Name)),
            ("spec", Map(
                ("replicas", service.Name == "gateway" ? 2 : 1),
                // Backups and their schedule run in one place at a time.
                ("strategy", backup ? Map(("type", "Recreate")) : null),
                ("selector", Map(("matchLabels", Selector(service.Name)))),
                ("template", pod))));
    }

    private static IEnumerable<object> GatewayScaling()
    {
        yield return Map(("apiVersion", "policy/v1"), ("kind", "PodDisruptionBudget"), ("metadata", Metadata("gateway", "gateway")),
            ("spec", Map(("minAvailable", 1), ("selector", Map(("matchLabels", Selector("gateway")))))));
        yield return Map(("apiVersion", "autoscaling/v2"), ("kind", "HorizontalPodAutoscaler"), ("metadata", Metadata("gateway", "gateway")),
            ("spec", Map(
                ("scaleTargetRef", Map(("apiVersion", "apps/v1"), ("kind", "Deployment"), ("name", "gateway"))),
                ("minReplicas", 2), ("maxReplicas", 6),
                ("metrics", new[] { Map(("type", "Resource"), ("resource", Map(("name", "cpu"), ("target", Map(("type", "Utilization"), ("averageUtilization", 70)))))) }))));
    }

    private static Dictionary<string, object> Secret(string name, IEnumerable<(string Key, string Value)> entries, string component = "atlas") =>
        Map(("apiVersion", "v1"), ("kind", "Secret"), ("metadata", Metadata(name, component)), ("type", "Opaque"),
            ("stringData", entries.ToDictionary(e => e.Key, e => (object)e.Value, StringComparer.Ordinal)));

    private static Dictionary<string, object> Probe(string path, int periodSeconds, int failureThreshold) => Map(
        ("httpGet", Map(("path", path), ("port", "http"))), ("periodSeconds", periodSeconds), ("timeoutSeconds", 3), ("failureThreshold", failureThreshold));

    private static Dictionary<string, object> Metadata(string name, string component) => Map(("name", name), ("labels", Labels(component)));

    private static Dictionary<string, object> Labels(string component) => Map(("app.kubernetes.io/name", component), ("app.kubernetes.io/part-of", "atlas"));

    private static Dictionary<string, object> Selector(string component) => Map(("app.kubernetes.io/name", component));
}
