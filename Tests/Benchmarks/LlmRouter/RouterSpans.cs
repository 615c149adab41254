using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Atlas.Benchmarks.LlmRouter;

/// <summary>
/// The router's own time per request, from its spans: the server span of each routed request (Kestrel's, from parsed
/// request to written answer) less the HTTP call to the model inside it. It leaves out what the load generator and
/// the loopback add to both paths alike, so it shows the router alone even when other work shares the cores. Its
/// PostgreSQL commands (the grounding search) are reported on their own.
/// </summary>
internal sealed class RouterSpans : IDisposable
{
    private const string RouteSpan = "llm route";
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public RouterSpans()
    {
        // The router's service defaults record every trace outside Production; this listener only reads the spans.
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "System.Net.Http" or "Atlas.LlmRouter" or "Atlas.LlmRouter.GenAI" or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Clear() => _stopped.Clear();

    /// <summary>The durations of the router's PostgreSQL commands (the grounding search), in milliseconds, sorted.</summary>
    public double[] DatabaseTimes() => [.. _stopped.ToArray().Where(a => a.Source.Name == "Npgsql").Select(a => a.Duration.TotalMilliseconds).Order()];

    /// <summary>Per routed request: server span minus the model call in it, in milliseconds, sorted.</summary>
    public double[] OwnTimes()
    {
        var own = new List<double>();
        foreach (var trace in _stopped.ToArray().GroupBy(a => a.TraceId))
        {
            var bySpan = trace.ToDictionary(a => a.SpanId);
            if (trace.FirstOrDefault(a => a.OperationName == RouteSpan) is not { } route
                || !bySpan.TryGetValue(route.ParentSpanId, out var server))
            {
                continue;
            }

            var modelCalls = trace.Where(a => a.Source.Name == "System.Net.Http" && Below(a, route, bySpan)).Sum(a => a.Duration.TotalMilliseconds);
            own.Add(server.Duration.TotalMilliseconds - modelCalls);
        }

        own.Sort();
        return [.. own];
    }

    public static string Report(string name, double[] sorted) => sorted.Length == 0
        ? $"{name,-28} no spans"
        : string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} {sorted.Length,7} requests     p50 {At(sorted, 0.50),7:0.000} ms  p99 {At(sorted, 0.99),7:0.000} ms  max {sorted[^1],7:0.000} ms");

    public void Dispose() => _listener.Dispose();

    private static double At(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static bool Below(Activity span, Activity ancestor, Dictionary<ActivitySpanId, Activity> bySpan)
    {
        for (var current = span; bySpan.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}
