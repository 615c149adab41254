using System.Globalization;

namespace Atlas.Backup.Retention;

/// <summary>
/// Which backups of one target to keep. With no count rules, every backup younger than <see cref="MaxAge"/> stays.
/// With count rules, a backup stays when it is one of the <see cref="KeepLast"/> newest or the newest of one of the
/// last <see cref="KeepDaily"/> days, <see cref="KeepWeekly"/> ISO weeks or <see cref="KeepMonthly"/> months that have
/// backups, and is not older than <see cref="MaxAge"/>. The newest verified backup always stays, whatever the rules say.
/// </summary>
public sealed record RetentionPolicy(TimeSpan? MaxAge, int KeepLast = 0, int KeepDaily = 0, int KeepWeekly = 0, int KeepMonthly = 0)
{
    private bool Thins => KeepLast > 0 || KeepDaily > 0 || KeepWeekly > 0 || KeepMonthly > 0;

    /// <summary>The backups to delete, oldest first.</summary>
    public IReadOnlyList<RetainedBackup> SelectExpired(IEnumerable<RetainedBackup> backups, DateTimeOffset now)
    {
        var ordered = backups.OrderByDescending(b => b.CompletedAt).ToList();
        var keep = new HashSet<Guid>();
        if (!Thins)
        {
            keep.UnionWith(ordered.Select(b => b.Id));
        }
        else
        {
            keep.UnionWith(ordered.Take(KeepLast).Select(b => b.Id));
            keep.UnionWith(NewestPerPeriod(ordered, KeepDaily, b => b.CompletedAt.UtcDateTime.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            keep.UnionWith(NewestPerPeriod(ordered, KeepWeekly, b => $"{ISOWeek.GetYear(b.CompletedAt.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(b.CompletedAt.UtcDateTime)}"));
            keep.UnionWith(NewestPerPeriod(ordered, KeepMonthly, b => b.CompletedAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture)));
        }

        if (MaxAge is { } maxAge)
        {
            keep.RemoveWhere(id => now - ordered.First(b => b.Id == id).CompletedAt > maxAge);
        }

        if (ordered.FirstOrDefault(b => b.Verified) is { } newestVerified)
        {
            keep.Add(newestVerified.Id);
        }

        return [.. ordered.Where(b => !keep.Contains(b.Id)).Reverse()];
    }

    private static IEnumerable<Guid> NewestPerPeriod(List<RetainedBackup> newestFirst, int periods, Func<RetainedBackup, string> period)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var backup in newestFirst)
        {
            if (seen.Count == periods && !seen.Contains(period(backup)))
            {
                yield break;
            }

            if (seen.Add(period(backup)))
            {
                yield return backup.Id;
            }
        }
    }
}

/// <summary>What retention needs to know of a backup.</summary>
public sealed record RetainedBackup(Guid Id, DateTimeOffset CompletedAt, bool Verified);
