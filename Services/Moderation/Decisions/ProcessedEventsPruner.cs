using Atlas.Moderation.Diagnostics;
using Atlas.Moderation.Settings;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atlas.Moderation.Decisions;

/// <summary>
/// Keeps <c>processed_events</c> (the record that makes a redelivered event a no-op) from growing without end: at
/// start and every <see cref="Interval"/> it deletes the rows older than <see cref="ModerationOptions.ProcessedEventsRetention"/>,
/// in batches, so no delete holds many locks or a long transaction. The retention is far longer than any broker
/// redelivery, so an event old enough to be pruned is never delivered again. The audit log is not touched.
/// </summary>
public sealed class ProcessedEventsPruner(
    NpgsqlDataSource dataSource, IOptions<ModerationOptions> options, TimeProvider time, ILogger<ProcessedEventsPruner> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private const int BatchSize = 5_000;

    /// <summary>Deletes every row older than the retention; returns how many went.</summary>
    public async Task<long> PruneAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.ProcessedEventsRetention;
        long total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(
                "DELETE FROM processed_events WHERE ctid IN (SELECT ctid FROM processed_events WHERE processed_at < $1 LIMIT $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = before });
            command.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < BatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            ModerationLog.ProcessedEventsPruned(logger, total, before);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await PruneAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                // PostgreSQL away: the next round tries again; nothing is lost by pruning later.
                ModerationLog.ProcessedEventsNotPruned(logger, exception, Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
