using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

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
        var scripts = MigrationScript.LoadWithShared(scriptAssembly);
        await UntilPostgresAnswers(time.GetUtcNow() + StartupTimeout)
            .ExecuteAsync(async token => await migrator.MigrateAsync(scripts, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Retries a transient PostgreSQL failure until <paramref name="deadline"/>: 250 ms, doubling, at most 5 s apart, on the injected clock.</summary>
    private ResiliencePipeline UntilPostgresAnswers(DateTimeOffset deadline) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is NpgsqlException { IsTransient: true } && time.GetUtcNow() < deadline),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = args =>
                {
                    Log.Waiting(logger, args.Outcome.Exception!.GetType().Name, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet ({Reason}); migrating again in {DelayMs} ms")]
        public static partial void Waiting(ILogger logger, string reason, double delayMs);
    }
}
