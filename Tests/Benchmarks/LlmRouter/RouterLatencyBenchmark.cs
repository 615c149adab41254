using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Atlas.Benchmarks.LlmRouter;

/// <summary>
/// The router's added latency: the same chat completion POSTed with 100 in flight straight to the Sandbox model's
/// OpenAI-compatible endpoint, and to LlmRouter's <c>/v1/chat/completions</c>, which routes it to that endpoint.
/// Each question is new, so the response cache never answers. Measured twice through the router: the full pipeline
/// (knowledge search for grounding, cache lookup and store) and routing alone (grounding and cache switched off).
/// Both against a model that takes a fixed time to answer, as every model does (so 100 in flight do not saturate the
/// machine and the difference is the router's own time), and against one that answers at once (a throughput limit).
/// The end-to-end difference also carries whatever else runs on the cores at the time, so two figures that do not
/// are printed beside it: the router's own time from its spans (<see cref="RouterSpans"/>), and the process CPU
/// time per request of each path (load generator, router and model share the process, so routed minus direct is
/// what the router spends).
/// </summary>
internal static class RouterLatencyBenchmark
{
    private const int Concurrency = 100;

    /// <summary>Alternating rounds per measurement (fewer when there are too few requests for them).</summary>
    private const int Rounds = 5;

    /// <summary>How long the paced model takes to answer: far faster than a real model, slow enough that 100 in flight do not saturate two cores.</summary>
    private const int ModelLatencyMs = 500;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        await using var bench = await LlmRouterBench.StartAsync("benchllm");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 });
        using var spans = new RouterSpans();
        var sequence = 0;
        Func<int> next = () => Interlocked.Increment(ref sequence);

        await RunManyAsync(http, new Uri(bench.Sandbox.BaseUrl, "v1/chat/completions"), 200, Concurrency, next, null);
        await RunManyAsync(http, new Uri(bench.RouterUrl, "v1/chat/completions"), 200, Concurrency, next, null);

        Console.WriteLine($"LlmRouter added latency ({Concurrency} in flight, {Environment.ProcessorCount} cores, Sandbox model over loopback HTTP)");
        Console.WriteLine($"model answering after {ModelLatencyMs} ms (a model's own time; the machine is not saturated):");
        await SetModelLatencyAsync(http, bench, ModelLatencyMs);
        await MeasureAllAsync(http, bench, spans, options.LlmRequests, next, ModelLatencyMs);

        Console.WriteLine("model answering at once (load generator, router and model share the cores: a throughput limit, not the router's own time):");
        await SetModelLatencyAsync(http, bench, null);
        await MeasureAllAsync(http, bench, spans, options.LlmRequests, next, 0);
    }

    /// <summary>
    /// The three paths in alternating rounds (direct, full, routing; <see cref="Rounds"/> times), so drift on the shared
    /// cores (GC, the JIT's tier-up, other work) touches each path alike instead of whichever ran last.
    /// </summary>
    private static async Task MeasureAllAsync(HttpClient http, LlmRouterBench bench, RouterSpans spans, int count, Func<int> next, int modelLatencyMs)
    {
        // Arrivals spread evenly over one model answer: a steady 100 in flight rather than waves of 100 at once.
        var stagger = TimeSpan.FromMilliseconds((double)modelLatencyMs / Concurrency);
        var direct = new Uri(bench.Sandbox.BaseUrl, "v1/chat/completions");
        var routed = new Uri(bench.RouterUrl, "v1/chat/completions");
        var rounds = count >= Rounds * 2 * Concurrency ? Rounds : 1;
        var perRound = count / rounds;
        Run directRun = new(perRound * rounds), fullRun = new(perRound * rounds), bareRun = new(perRound * rounds);
        List<double> fullOwn = [], fullDatabase = [], bareOwn = [];
        for (var round = 0; round < rounds; round++)
        {
            await MeasureAsync(http, direct, perRound, next, stagger, directRun);
            bench.Reconfigure(new Dictionary<string, string> { ["LlmRouter:Grounding:Passages"] = "3", ["LlmRouter:Cache:Enabled"] = "true" });
            spans.Clear();
            await MeasureAsync(http, routed, perRound, next, stagger, fullRun);
            fullOwn.AddRange(spans.OwnTimes());
            fullDatabase.AddRange(spans.DatabaseTimes());
            bench.Reconfigure(new Dictionary<string, string> { ["LlmRouter:Grounding:Passages"] = "0", ["LlmRouter:Cache:Enabled"] = "false" });
            spans.Clear();
            await MeasureAsync(http, routed, perRound, next, stagger, bareRun);
            bareOwn.AddRange(spans.OwnTimes());
        }

        Console.WriteLine($"  ({rounds} alternating rounds of {perRound} requests per path)");
        Console.WriteLine(directRun.Recorder.Report("  Sandbox model directly", directRun.Elapsed));
        Console.WriteLine(fullRun.Recorder.Report("  via LlmRouter (full)", fullRun.Elapsed));
        Console.WriteLine(bareRun.Recorder.Report("  via LlmRouter (routing)", bareRun.Elapsed));
        Console.WriteLine(Added("full pipeline", directRun.Recorder, fullRun.Recorder));
        Console.WriteLine(Added("routing only", directRun.Recorder, bareRun.Recorder));
        Console.WriteLine(RouterSpans.Report("  router's own time, full", [.. fullOwn.Order()]));
        Console.WriteLine(RouterSpans.Report("  router's own time, routing", [.. bareOwn.Order()]));
        Console.WriteLine(RouterSpans.Report("  of it: grounding search", [.. fullDatabase.Order()]));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  process CPU per request: direct {directRun.CpuMs:0.000} ms, full {fullRun.CpuMs:0.000} ms, routing {bareRun.CpuMs:0.000} ms"));
    }

    // The Sandbox's "slow" switch delays every answer of its OpenAI surface; null clears it.
    private static async Task SetModelLatencyAsync(HttpClient http, LlmRouterBench bench, int? delayMs)
    {
        var url = new Uri(bench.Sandbox.BaseUrl, "sandbox/llm/openai/fault");
        using var content = new StringContent($$"""{"kind":"slow","delayMs":{{delayMs}}}""", Encoding.UTF8, "application/json");
        using var response = delayMs is null ? await http.DeleteAsync(url) : await http.PutAsync(url, content);
        response.EnsureSuccessStatusCode();
    }

    private static string Added(string name, LatencyRecorder direct, LatencyRecorder routed) => string.Create(CultureInfo.InvariantCulture,
        $"{"  added by router, " + name,-30} p50 {routed.Percentile(0.50) - direct.Percentile(0.50),7:0.00} ms  p99 {routed.Percentile(0.99) - direct.Percentile(0.99),7:0.00} ms");

    private static async Task MeasureAsync(HttpClient http, Uri url, int count, Func<int> next, TimeSpan stagger, Run run)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var failures = await RunManyAsync(http, url, count, Concurrency, next, run.Recorder, stagger);
        if (failures > 0)
        {
            Console.WriteLine($"  {failures} non-200 answers from {url}");
        }

        run.Elapsed += clock.Elapsed;
        process.Refresh();
        run.CpuTime += process.TotalProcessorTime - cpu;
        run.Requests += count;
    }

    /// <summary>One path's figures, added up over the rounds.</summary>
    private sealed class Run(int capacity)
    {
        public LatencyRecorder Recorder { get; } = new(capacity);

        public TimeSpan Elapsed { get; set; }

        public TimeSpan CpuTime { get; set; }

        public int Requests { get; set; }

        public double CpuMs => Requests == 0 ? 0 : CpuTime.TotalMilliseconds / Requests;
    }

    /// <summary>
    /// <paramref name="concurrency"/> users each sending one request after the other. With <paramref name="stagger"/>,
    /// user i starts i × stagger late: against a model that always takes the same time, users that all started at
    /// once would stay in lockstep, and every 500 ms all 100 requests would arrive in the same millisecond, which no
    /// real traffic does (the last of such a burst measures the burst, not the router).
    /// </summary>
    private static async Task<int> RunManyAsync(HttpClient http, Uri url, int count, int concurrency, Func<int> next, LatencyRecorder? recorder, TimeSpan stagger = default)
    {
        var remaining = count;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async user =>
        {
            if (stagger > TimeSpan.Zero)
            {
                await Task.Delay(stagger * user);
            }

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
