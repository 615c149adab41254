using Atlas.Backup.Options;
using Atlas.Backup.Retention;
using Atlas.Backup.Targets;
using Cronos;

namespace Atlas.Backup.Scheduling;

/// <summary>One target's cron schedule and retention, resolved from the defaults, its kind's section and its own section.</summary>
public sealed record SchedulePlan(string Target, string Cron, RetentionPolicy Retention, string? VerifyCron = null)
{
    private readonly CronExpression _expression = CronExpression.Parse(Cron);
    private readonly CronExpression? _verify = VerifyCron is null ? null : CronExpression.Parse(VerifyCron);

    /// <summary>The runbook defaults: databases every 6 h (hourly in production) kept 30 days, Redis daily kept 7 days.</summary>
    public static SchedulePlan For(BackupTarget target, ScheduleOptions options, string profile)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var (cron, verifyCron, maxAge, kindSection) = target.Kind switch
        {
            TargetKind.Postgres => (profile == "production" ? "0 * * * *" : "0 */6 * * *", "0 5 * * *", TimeSpan.FromDays(30), options.Databases),
            TargetKind.Redis => ("0 3 * * *", "15 5 * * *", TimeSpan.FromDays(7), options.Redis),
            _ => ("30 3 * * *", "30 5 * * *", TimeSpan.FromDays(30), options.Configuration),
        };
        options.Targets.TryGetValue(target.Name, out var own);
        TargetSchedule[] layers = [.. new[] { kindSection, own }.OfType<TargetSchedule>()];
        var retention = new RetentionPolicy(
            layers.Select(l => l.MaxAge).LastOrDefault(v => v is not null) ?? maxAge,
            layers.Select(l => l.KeepLast).LastOrDefault(v => v is not null) ?? 0,
            layers.Select(l => l.KeepDaily).LastOrDefault(v => v is not null) ?? 0,
            layers.Select(l => l.KeepWeekly).LastOrDefault(v => v is not null) ?? 0,
            layers.Select(l => l.KeepMonthly).LastOrDefault(v => v is not null) ?? 0);
        var chosen = layers.Select(l => l.Cron).LastOrDefault(c => !string.IsNullOrWhiteSpace(c)) ?? cron;
        var verify = layers.Select(l => l.VerifyCron).LastOrDefault(c => !string.IsNullOrWhiteSpace(c)) ?? verifyCron;
        try
        {
            return new SchedulePlan(target.Name, chosen, retention, verify.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : verify);
        }
        catch (CronFormatException exception)
        {
            throw new InvalidOperationException(
                $"The backup or verification schedule of {target.Name} ('{chosen}', '{verify}') is not a valid five-field cron expression: {exception.Message}", exception);
        }
    }

    /// <summary>The zone every schedule is read in.</summary>
    public static TimeZoneInfo TimeZone => TimeZoneInfo.Utc;

    /// <summary>The backup schedule as a loop on <paramref name="time"/>.</summary>
    public CronLoop Backups(TimeProvider time) => new(_expression, TimeZone, time);

    /// <summary>The re-verification schedule as a loop on <paramref name="time"/>; null when the target has none.</summary>
    public CronLoop? Verifications(TimeProvider time) => _verify is null ? null : new(_verify, TimeZone, time);

    public DateTimeOffset Next(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after, TimeZone) ?? throw new InvalidOperationException($"The schedule '{Cron}' of {Target} never fires.");

    /// <summary>The time between two runs (for the stale-backup alert).</summary>
    public TimeSpan Interval(DateTimeOffset now)
    {
        var first = Next(now);
        return Next(first) - first;
    }
}
