using Atlas.Backup.Options;
using Atlas.Backup.Retention;
using Atlas.Backup.Scheduling;
using Atlas.Backup.Targets;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Backup.Tests;

/// <summary>Retention applied after every scheduled backup over simulated months keeps exactly what the policy says.</summary>
public sealed class RetentionOverMonths
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Runbook_default_for_databases_keeps_every_6_hourly_backup_of_the_last_30_days()
    {
        var plan = SchedulePlan.For(new BackupTarget("gatewaydb", TargetKind.Postgres, ""), new ScheduleOptions(), "default");

        var kept = Simulate(plan, TimeSpan.FromDays(120), verifiedUntil: null);

        plan.Cron.Should().Be("0 */6 * * *");
        kept.Should().HaveCount(121, "30 days of 4 a day, plus the one exactly 30 days old");
        kept.Should().OnlyContain(b => b.CompletedAt >= Start.AddDays(90));
    }

    [Fact]
    public void Runbook_default_for_redis_keeps_daily_backups_for_7_days_and_production_backs_databases_up_hourly()
    {
        var redis = SchedulePlan.For(new BackupTarget("redis", TargetKind.Redis, ""), new ScheduleOptions(), "default");
        var production = SchedulePlan.For(new BackupTarget("gatewaydb", TargetKind.Postgres, ""), new ScheduleOptions(), "production");

        var kept = Simulate(redis, TimeSpan.FromDays(60), verifiedUntil: null);

        kept.Should().HaveCount(8);
        production.Interval(Start).Should().Be(TimeSpan.FromHours(1));
        redis.Interval(Start).Should().Be(TimeSpan.FromDays(1));
    }

    [Fact]
    public void Thinning_keeps_the_newest_few_then_one_a_day_one_a_week_and_one_a_month()
    {
        var options = new ScheduleOptions
        {
            Databases = new TargetSchedule { MaxAge = TimeSpan.FromDays(400), KeepLast = 4, KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 6 },
        };
        var plan = SchedulePlan.For(new BackupTarget("gatewaydb", TargetKind.Postgres, ""), options, "default");

        var kept = Simulate(plan, TimeSpan.FromDays(200), verifiedUntil: null);
        var now = Start.AddDays(200);

        kept.Take(4).Should().OnlyContain(b => now - b.CompletedAt <= TimeSpan.FromHours(18), "the four newest 6-hourly backups");
        kept.Select(b => b.CompletedAt.Date).Distinct().Should().HaveCountGreaterThanOrEqualTo(7);
        Enumerable.Range(0, 7).Select(d => now.AddDays(-d).Date).Should().OnlyContain(day => kept.Any(b => b.CompletedAt.Date == day));
        Enumerable.Range(0, 6).Select(m => now.AddMonths(-m)).Should().OnlyContain(m => kept.Any(b => b.CompletedAt.Year == m.Year && b.CompletedAt.Month == m.Month));
        kept.Count.Should().BeLessThanOrEqualTo(4 + 7 + 4 + 6);
        kept.Min(b => b.CompletedAt).Should().BeBefore(now.AddDays(-140), "monthly backups reach back six months");
    }

    [Fact]
    public void The_newest_verified_backup_survives_any_age_limit()
    {
        var plan = SchedulePlan.For(new BackupTarget("redis", TargetKind.Redis, ""), new ScheduleOptions(), "default");

        var kept = Simulate(plan, TimeSpan.FromDays(90), verifiedUntil: Start.AddDays(40));

        kept.Should().HaveCount(9, "seven days of dailies plus today's, and the last verified one");
        kept.Last().CompletedAt.Should().Be(Start.AddDays(40).AddHours(3) - TimeSpan.FromDays(1), "the newest backup that passed verification");
        kept.Last().Verified.Should().BeTrue();
    }

    /// <summary>
    /// Takes a backup at every occurrence of the plan's cron on a fake clock for <paramref name="span"/>, applying
    /// retention after each, as the scheduler does. Backups up to <paramref name="verifiedUntil"/> pass verification
    /// (all, when null). Returns what is left, newest first.
    /// </summary>
    private static List<RetainedBackup> Simulate(SchedulePlan plan, TimeSpan span, DateTimeOffset? verifiedUntil)
    {
        var clock = new FakeTimeProvider(Start);
        var kept = new List<RetainedBackup>();
        for (var next = plan.Next(Start); next <= Start + span; next = plan.Next(next))
        {
            clock.Advance(next - clock.GetUtcNow());
            var now = clock.GetUtcNow();
            kept.Add(new RetainedBackup(Guid.NewGuid(), now, verifiedUntil is null || now < verifiedUntil));
            var expired = plan.Retention.SelectExpired(kept, now).Select(b => b.Id).ToHashSet();
            kept.RemoveAll(b => expired.Contains(b.Id));
        }

        return [.. kept.OrderByDescending(b => b.CompletedAt)];
    }
}
