using Atlas.ServiceDefaults;
using Atlas.ServiceDefaults.Audit;
using Atlas.ServiceDefaults.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the ops audit log of a service (in its own database; see <see cref="OpsAudit"/>).</summary>
public static class OpsAuditExtensions
{
    /// <summary>
    /// Turns the ops audit on: every state-changing ops API call is recorded, <see cref="OpsAudit"/> is there for the
    /// service's admin commands, and <c>MapDefaultEndpoints</c> maps <c>GET /ops/audit</c> behind the ops key at
    /// <paramref name="opsKeyPath"/>. Needs the service's <c>NpgsqlDataSource</c> and <c>AddDatabaseMigrations</c>
    /// (which creates the table).
    /// </summary>
    public static IHostApplicationBuilder AddOpsAudit(this IHostApplicationBuilder builder, string opsKeyPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(opsKeyPath);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ServiceIdentity>(_ => ServiceIdentity.From(builder.Environment, builder.Configuration));
        builder.Services.TryAddSecretRedactor();
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<OpsAuditMetrics>();
        builder.Services.TryAddSingleton<OpsAudit>();
        builder.Services.AddSingleton(new OpsAuditExport(opsKeyPath));
        return builder;
    }
}

/// <summary>Where the ops key of the service's audit export is configured.</summary>
public sealed record OpsAuditExport(string OpsKeyPath);
