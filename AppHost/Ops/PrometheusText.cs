using System.Globalization;

namespace Atlas.AppHost.Ops;

/// <summary>Just enough of the Prometheus text format to add up one metric's samples.</summary>
internal static class PrometheusText
{
    /// <summary>
    /// The sum of <paramref name="metric"/>'s samples (every label set), or of those whose labels contain
    /// <paramref name="label"/> (e.g. <c>handler="start"</c>); 0 when there is none.
    /// </summary>
    public static double Sum(string text, string metric, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var total = 0d;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || !line.StartsWith(metric, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line.AsSpan(metric.Length);
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
            {
                continue;
            }

            var labels = rest[0] == '{' ? rest[..(rest.IndexOf('}') + 1)] : [];
            if (label is not null && !labels.Contains(label, StringComparison.Ordinal))
            {
                continue;
            }

            var value = rest[labels.Length..].Trim();
            var end = value.IndexOf(' ');
            if (double.TryParse(end < 0 ? value : value[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var sample))
            {
                total += sample;
            }
        }

        return total;
    }
}
