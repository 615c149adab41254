using System.Diagnostics;
using System.Globalization;

namespace Atlas.Benchmarks;

/// <summary>Collects round-trip times and reports throughput and percentiles.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private readonly double[] _milliseconds = new double[capacity];
    private int _count;

    public void Record(long startTimestamp) =>
        _milliseconds[Interlocked.Increment(ref _count) - 1] = Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;

    public string Report(string name, TimeSpan elapsed)
    {
        var sorted = _milliseconds[.._count];
        Array.Sort(sorted);
        return string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} {_count,7} round trips  {_count / elapsed.TotalSeconds,9:0} msg/s  p50 {Percentile(sorted, 0.50),7:0.00} ms  p99 {Percentile(sorted, 0.99),7:0.00} ms  max {sorted[^1],7:0.00} ms");
    }

    /// <summary>The given percentile (0..1) of what was recorded so far, in milliseconds.</summary>
    public double Percentile(double fraction)
    {
        var sorted = _milliseconds[.._count];
        Array.Sort(sorted);
        return Percentile(sorted, fraction);
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
