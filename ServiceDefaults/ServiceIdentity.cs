using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults;

/// <summary>Who this process is on the bus and in telemetry: lowercase service name, instance id, version.</summary>
public sealed record ServiceIdentity(string Name, string InstanceId, string Version)
{
    /// <summary>
    /// The name is <c>OTEL_SERVICE_NAME</c> when set (the AppHost sets it to the resource name), otherwise
    /// the application name without its <c>Atlas.</c> prefix, lowercased (<c>Atlas.Gateway</c> -> <c>gateway</c>).
    /// </summary>
    public static ServiceIdentity From(IHostEnvironment environment, IConfiguration configuration)
    {
        var name = configuration["OTEL_SERVICE_NAME"];
        if (string.IsNullOrWhiteSpace(name))
        {
            var applicationName = environment.ApplicationName;
            name = applicationName.StartsWith("Atlas.", StringComparison.Ordinal) ? applicationName["Atlas.".Length..] : applicationName;
        }

        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var instanceId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        return new ServiceIdentity(name.ToLowerInvariant(), instanceId, version);
    }
}
