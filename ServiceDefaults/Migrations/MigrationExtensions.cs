using Atlas.ServiceDefaults.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the migration of the service's own database at start.</summary>
public static class MigrationExtensions
{
    /// <summary>
    /// Applies the SQL scripts embedded in the assembly of <typeparamref name="TMarker"/> (<c>Migrations/*.sql</c>)
    /// to the registered <c>NpgsqlDataSource</c> when the host starts. Call after <c>AddNpgsqlDataSource</c>.
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseMigrations<TMarker>(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService(sp => new MigrationHostedService(
            sp.GetRequiredService<DatabaseMigrator>(),
            typeof(TMarker).Assembly,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MigrationHostedService>>()));
        return builder;
    }
}
