using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atlas.ServiceDefaults.Migrations;

/// <summary>
/// Brings the service's database up to date before the service starts listening. While PostgreSQL is not yet
/// reachable it retries for <see cref="StartupTimeout"/>, then fails start with the reason.
/// </summary>
internal sealed partial class MigrationHostedService(
    DatabaseMigrator migrator, Assembly scriptAssembly, TimeProvider time, ILogger<MigrationHostedService> logger) : IHostedService
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scripts = MigrationScript.LoadFrom(scriptAssembly);
        var deadline = time.GetUtcNow() + StartupTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(scripts, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && time.GetUtcNow() < deadline)
            {
                Log.Waiting(logger, exception.GetType().Name, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet ({Reason}); migrating again in {DelayMs} ms")]
        public static partial void Waiting(ILogger logger, string reason, double delayMs);
    }
}
