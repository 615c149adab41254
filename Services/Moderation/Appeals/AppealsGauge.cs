using Atlas.Moderation.Diagnostics;
using Npgsql;

namespace Atlas.Moderation.Appeals;

/// <summary>
/// Keeps <c>moderation_appeals_open</c> current: counted from PostgreSQL at start, every minute, and soon after an
/// appeal is recorded or resolved (by any instance the minute catches it).
/// </summary>
public sealed class AppealsGauge(NpgsqlDataSource dataSource, ModerationMetrics metrics, TimeProvider time, ILogger<AppealsGauge> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0, 1);

    public void Changed()
    {
        if (_changed.CurrentCount == 0)
        {
            try
            {
                _changed.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT count(*) FROM appeals WHERE status = 'open'");
                metrics.AppealsOpen((long)(await command.ExecuteScalarAsync(stoppingToken).ConfigureAwait(false) ?? 0L));
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                ModerationLog.AppealsNotCounted(logger, exception);
            }

            using var minute = new CancellationTokenSource(TimeSpan.FromMinutes(1), time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, minute.Token);
            try
            {
                await _changed.WaitAsync(wait.Token).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The minute passed.
            }
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
