namespace Atlas.Backup.Options;

/// <summary>
/// The <c>Backup:Schedules</c> section. The defaults are the runbook's: databases every 6 h kept 30 days, Redis
/// daily kept 7 days, configuration daily kept 30 days; the production profile backs databases up hourly. A target
/// may override any of it under <c>Backup:Schedules:Targets:&lt;name&gt;</c>.
/// </summary>
public sealed class ScheduleOptions
{
    public const string Section = "Backup:Schedules";

    /// <summary>Run schedules at all (tests and one-off hosts turn it off).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Run, once at start, a backup that was due while the service was down.</summary>
    public bool CatchUpMissedRuns { get; init; } = true;

    public TargetSchedule? Databases { get; init; }

    public TargetSchedule? Redis { get; init; }

    public TargetSchedule? Configuration { get; init; }

    public IDictionary<string, TargetSchedule> Targets { get; init; } = new Dictionary<string, TargetSchedule>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>When one target is backed up and how long its backups are kept. Unset values fall back to the defaults.</summary>
public sealed class TargetSchedule
{
    /// <summary>Five-field cron expression, UTC.</summary>
    public string? Cron { get; init; }

    /// <summary>Five-field cron expression, UTC, for re-verifying the newest backup; <c>off</c> for none.</summary>
    public string? VerifyCron { get; init; }

    public TimeSpan? MaxAge { get; init; }

    public int? KeepLast { get; init; }

    public int? KeepDaily { get; init; }

    public int? KeepWeekly { get; init; }

    public int? KeepMonthly { get; init; }
}
