using System.Globalization;
using System.Text.RegularExpressions;

namespace Atlas.Moderation.Commands;

/// <summary>Durations as admins write them: <c>30s</c>, <c>10m</c>, <c>3h</c>, <c>2d</c>, <c>1w</c>.</summary>
public static partial class Durations
{
    /// <summary>Telegram treats a restriction shorter than 30 s or longer than 366 days as forever.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(366);

    /// <summary>The shortest restriction Telegram keeps as timed (see <see cref="Longest"/>); "10s" would be for good.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(30);

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var match = text is null ? null : DurationPattern().Match(text);
        if (match is not { Success: true } || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount == 0)
        {
            return false;
        }

        duration = char.ToLowerInvariant(match.Groups[2].Value[0]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromDays(7.0 * amount),
        };
        return duration >= Shortest && duration <= Longest;
    }

    /// <summary>The shortest way to write <paramref name="duration"/> (<c>90m</c> stays minutes, <c>2d</c> days).</summary>
    public static string Format(TimeSpan? duration) => duration switch
    {
        null => "for good",
        { TotalDays: >= 1 } d when d.TotalDays % 1 == 0 => $"{d.TotalDays:0}d",
        { TotalHours: >= 1 } d when d.TotalHours % 1 == 0 => $"{d.TotalHours:0}h",
        { TotalMinutes: >= 1 } d when d.TotalMinutes % 1 == 0 => $"{d.TotalMinutes:0}m",
        { } d => $"{d.TotalSeconds:0}s",
    };

    /// <summary><paramref name="duration"/> to whole days, hours, minutes or seconds, for a reply (at least 1 s).</summary>
    public static TimeSpan Rounded(TimeSpan duration)
    {
        var unit = duration switch
        {
            { TotalDays: >= 1 } => TimeSpan.FromDays(1),
            { TotalHours: >= 1 } => TimeSpan.FromHours(1),
            { TotalMinutes: >= 1 } => TimeSpan.FromMinutes(1),
            _ => TimeSpan.FromSeconds(1),
        };
        return TimeSpan.FromTicks(Math.Max(1, (long)Math.Round((double)duration.Ticks / unit.Ticks)) * unit.Ticks);
    }

    [GeneratedRegex(@"^(\d{1,6})([smhdw])$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DurationPattern();
}
