using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Atlas.Benchmarks.LlmRouter;

/// <summary>
/// The router's added latency: the same chat completion POSTed with 100 in flight straight to the Sandbox model's
/// OpenAI-compatible endpoint, and to LlmRouter's <c>/v1/chat/completions</c>, which routes it to that endpoint.
/// Each question is new, so the response cache never answers. Measured twice through the router: the full pipeline
/// (knowledge search for grounding, cache lookup and store) and routing alone (grounding and cache switched off).
/// </summary>
internal static class RouterLatencyBenchmark
{
    private const int Concurrency = 100;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        await using var bench = await LlmRouterBench.StartAsync("benchllm");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 });
        var direct = new Uri(bench.Sandbox.BaseUrl, "v1/chat/completions");
        var routed = new Uri(bench.RouterUrl, "v1/chat/completions");
        var sequence = 0;

        await RunManyAsync(http, direct, 200, Concurrency, () => Interlocked.Increment(ref sequence), null);
        await RunManyAsync(http, routed, 200, Concurrency, () => Interlocked.Increment(ref sequence), null);

        var (directRecorder, directTime) = await MeasureAsync(http, direct, options.LlmRequests, () => Interlocked.Increment(ref sequence));
        var (fullRecorder, fullTime) = await MeasureAsync(http, routed, options.LlmRequests, () => Interlocked.Increment(ref sequence));
        bench.Reconfigure(new Dictionary<string, string> { ["LlmRouter:Grounding:Passages"] = "0", ["LlmRouter:Cache:Enabled"] = "false" });
        var (bareRecorder, bareTime) = await MeasureAsync(http, routed, options.LlmRequests, () => Interlocked.Increment(ref sequence));

        Console.WriteLine($"LlmRouter added latency ({Concurrency} in flight, {Environment.ProcessorCount} cores, Sandbox model over loopback HTTP)");
        Console.WriteLine(directRecorder.Report("Sandbox model directly", directTime));
        Console.WriteLine(fullRecorder.Report("via LlmRouter (full)", fullTime));
        Console.WriteLine(bareRecorder.Report("via LlmRouter (routing)", bareTime));
        Console.WriteLine(Added("full pipeline", directRecorder, fullRecorder));
        Console.WriteLine(Added("routing only", directRecorder, bareRecorder));
    }

    private static string Added(string name, LatencyRecorder direct, LatencyRecorder routed) => string.Create(CultureInfo.InvariantCulture,
        $"{"added by router, " + name,-28} p50 {routed.Percentile(0.50) - direct.Percentile(0.50),7:0.00} ms  p99 {routed.Percentile(0.99) - direct.Percentile(0.99),7:0.00} ms");

    private static async Task<(LatencyRecorder Recorder, TimeSpan Elapsed)> MeasureAsync(HttpClient http, Uri url, int count, Func<int> next)
    {
        var recorder = new LatencyRecorder(count);
        var clock = Stopwatch.StartNew();
        var failures = await RunManyAsync(http, url, count, Concurrency, next, recorder);
        if (failures > 0)
        {
            Console.WriteLine($"  {failures} non-200 answers from {url}");
        }

        return (recorder, clock.Elapsed);
    }

    private static async Task<int> RunManyAsync(HttpClient http, Uri url, int count, int concurrency, Func<int> next, LatencyRecorder? recorder)
    {
        var remaining = count;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var body = $$"""{"model":"sandbox-echo","messages":[{"role":"user","content":"benchmark question number {{next()}}"}]}""";
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(url, content);
                await response.Content.ReadAsByteArrayAsync();
                recorder?.Record(started);
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return failures;
    }
}
