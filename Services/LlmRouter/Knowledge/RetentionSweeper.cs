using Atlas.LlmRouter.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atlas.LlmRouter.Knowledge;

/// <summary>Deletes documents not updated for <see cref="KnowledgeOptions.RetentionDays"/> days, once per sweep interval (off at 0).</summary>
public sealed class RetentionSweeper(IKnowledgeStore store, IOptionsMonitor<KnowledgeOptions> options, TimeProvider time, ILogger<RetentionSweeper> logger)
    : BackgroundService
{
    /// <summary>One sweep; returns how many documents went.</summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        var days = options.CurrentValue.RetentionDays;
        if (days == 0)
        {
            return 0;
        }

        var cutoff = time.GetUtcNow().AddDays(-days);
        var deleted = await store.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            LlmRouterLog.RetentionDeleted(logger, deleted, cutoff);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.RetentionSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (NpgsqlException exception)
                {
                    LlmRouterLog.RetentionFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
