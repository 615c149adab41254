using System.Globalization;
using Atlas.AppHost.Processes;

namespace Atlas.AppHost.Hosting;

/// <summary>
/// An Atlas service started from its build output (<c>dotnet Atlas.X.dll</c>) with the configuration contract of
/// ARCHITECTURE.md in its environment. Healthy once its <c>/readyz</c> answers 200.
/// </summary>
public sealed class ProjectResource(string name, string assemblyPath) : Resource(name)
{
    private readonly List<IResourceWithConnectionString> _connections = [];
    private readonly List<ProjectResource> _services = [];
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<DataFolder, string>> _deferredEnvironment = new(StringComparer.Ordinal);

    public override string Kind => "project";

    public string AssemblyPath { get; } = assemblyPath;

    /// <summary>The service's HTTP endpoint once it runs.</summary>
    public Uri? Endpoint { get; private set; }

    public override string? DisplayUrl => Endpoint?.ToString();

    /// <summary>Gives the service <c>ConnectionStrings__&lt;name&gt;</c> of a resource.</summary>
    public ProjectResource WithReference(IResourceWithConnectionString resource)
    {
        _connections.Add(resource);
        return this;
    }

    /// <summary>Gives the service <c>services__&lt;name&gt;__http__0</c> of another service.</summary>
    public ProjectResource WithReference(ProjectResource service)
    {
        _services.Add(service);
        return this;
    }

    /// <summary>Sets one environment variable (configuration key with <c>__</c> for <c>:</c>).</summary>
    public ProjectResource WithEnvironment(string key, string value)
    {
        _environment[key] = value;
        return this;
    }

    /// <summary>Sets one environment variable from the data folder at start (a generated secret kept across runs).</summary>
    public ProjectResource WithEnvironment(string key, Func<DataFolder, string> value)
    {
        _deferredEnvironment[key] = value;
        return this;
    }

    public ProjectResource WaitFor(Resource resource)
    {
        AddWait(resource);
        return this;
    }

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new InvalidOperationException($"{AssemblyPath} does not exist. Build the solution first: dotnet build Atlas.sln");
        }

        var port = context.Data.Port($"{Name}-http");
        Endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var environment = new Dictionary<string, string?>(_environment.ToDictionary(e => e.Key, e => (string?)e.Value), StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = context.Options.EnvironmentName,
            ["DOTNET_ENVIRONMENT"] = context.Options.EnvironmentName,
            ["OTEL_SERVICE_NAME"] = Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Name}-{Guid.NewGuid():N}",
            ["Logging__Console__FormatterName"] = "simple",
            [ProcessTable.OwnerVariable] = context.Owner,
        };
        foreach (var (key, value) in _deferredEnvironment)
        {
            environment[key] = value(context.Data);
        }

        foreach (var connection in _connections)
        {
            environment[$"ConnectionStrings__{connection.Name}"] = connection.ConnectionString;
        }

        foreach (var service in _services)
        {
            environment[$"services__{service.Name}__http__0"] = service.Endpoint?.ToString().TrimEnd('/')
                ?? throw new InvalidOperationException($"{Name} references {service.Name}, which has not started; add WaitFor({service.Name}).");
        }

        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        Process = ManagedProcess.Start(host, [AssemblyPath], environment, Path.GetDirectoryName(AssemblyPath)!, context.Log);
        await Readiness.WaitForHttpAsync(new Uri(Endpoint, "readyz"), Process, context, cancellationToken).ConfigureAwait(false);
    }

    internal override async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopProcessAsync(Posix.SigTerm, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    }
}
