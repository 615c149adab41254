using System.Globalization;
using System.Text.RegularExpressions;

namespace Atlas.Benchmarks.Gateway;

/// <summary>One wrk run: requests completed, non-2xx answers, requests/s and latency percentiles.</summary>
internal sealed record WrkResult(long Requests, long Failures, double PerSecond, double P50Ms, double P99Ms)
{
    public double ProcessCpuMsPerRequest { get; init; }

    public double MachineCpuMsPerRequest { get; init; }
}

/// <summary>Reads wrk's <c>--latency</c> report.</summary>
internal static partial class WrkOutput
{
    public static WrkResult Parse(string output)
    {
        var requests = Regex.Match(output, @"(\d+) requests in");
        var perSecond = Regex.Match(output, @"Requests/sec:\s+([\d.]+)");
        if (!requests.Success || !perSecond.Success)
        {
            throw new FormatException("Not a wrk report:\n" + output);
        }

        var failures = Regex.Match(output, @"Non-2xx or 3xx responses:\s+(\d+)");
        var errors = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        var failed = (failures.Success ? long.Parse(failures.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
            + (errors.Success ? Enumerable.Range(1, 4).Sum(i => long.Parse(errors.Groups[i].Value, CultureInfo.InvariantCulture)) : 0);
        return new WrkResult(
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            failed,
            double.Parse(perSecond.Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50%"),
            Percentile(output, "99%"));
    }

    // "     99%    5.12ms" in the latency distribution, in milliseconds.
    private static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, "^\\s+" + Regex.Escape(label) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new FormatException($"wrk printed no {label} latency:\n" + output);
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }
}

/// <summary>Whether a command is on the PATH.</summary>
internal static class Tool
{
    public static bool Exists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, name)));
}
