using Cronos;

namespace Atlas.Backup.Scheduling;

/// <summary>What a loop does after a stall that carried it past one or more occurrences: it runs once, not once per missed slot.</summary>
public enum MissedOccurrences
{
    /// <summary>Run once, as of the latest missed occurrence (within the last 366 days; else now).</summary>
    RunAsOfLatest,

    /// <summary>Run once, now.</summary>
    RunNow,
}

/// <summary>
/// One cron schedule on the injected <see cref="TimeProvider"/> in one time zone: wait until the next occurrence after
/// the one last run, run the body, repeat until cancelled. The body decides which of its failures it survives; an
/// exception it lets out ends the loop.
/// </summary>
public sealed class CronLoop(CronExpression cron, TimeZoneInfo zone, TimeProvider time)
{
    /// <summary>The first occurrence after <paramref name="after"/>; null when the expression never fires again.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => cron.GetNextOccurrence(after, zone);

    /// <summary>The latest occurrence at or before <paramref name="now"/> within the last 366 days.</summary>
    public DateTimeOffset? Previous(DateTimeOffset now) =>
        cron.GetOccurrences(now.AddDays(-366), now, zone, fromInclusive: true, toInclusive: true).Cast<DateTimeOffset?>().LastOrDefault();

    /// <summary>
    /// Runs <paramref name="body"/> at each occurrence after <paramref name="from"/> until <paramref name="cancellationToken"/>
    /// is cancelled. <paramref name="announce"/> hears each planned time before the wait.
    /// </summary>
    public async Task RunAsync(
        DateTimeOffset from, MissedOccurrences missed, Action<DateTimeOffset> announce, Func<CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announce);
        ArgumentNullException.ThrowIfNull(body);
        var planned = from;
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = Next(planned) ?? throw new InvalidOperationException($"The schedule '{cron}' never fires after {planned:o}.");
            var now = time.GetUtcNow();
            if (next < now)
            {
                next = missed == MissedOccurrences.RunAsOfLatest ? Previous(now) ?? now : now;
            }

            announce(next);
            if (next > now)
            {
                await Task.Delay(next - now, time, cancellationToken).ConfigureAwait(false);
            }

            planned = next;
            await body(cancellationToken).ConfigureAwait(false);
        }
    }
}
