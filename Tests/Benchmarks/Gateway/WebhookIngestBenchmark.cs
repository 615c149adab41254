using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Atlas.Testing;

namespace Atlas.Benchmarks.Gateway;

/// <summary>
/// Webhook ingest at the HTTP edge: updates POSTed to the gateway's webhook as Telegram would (secret header, JSON
/// body), with many in flight. Reports accepted updates/s and the latency of the 200 at the edge, then how long
/// the handlers took to work off everything that was accepted.
/// </summary>
internal static class WebhookIngestBenchmark
{
    private const string Secret = "bench-webhook-secret";

    public static async Task RunAsync(BenchmarkOptions options)
    {
        await using var bench = await GatewayBench.StartAsync("benchwebhook", limits: null, new Dictionary<string, string?>
        {
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookSecret"] = Secret,
            ["Telegram:WebhookBaseUrl"] = "http://127.0.0.1:1/",
        });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = bench.GatewayUrl };
        var nextUpdateId = 1_000_000L;

        await PostManyAsync(http, 200, 16, () => Interlocked.Increment(ref nextUpdateId), recorder: null);
        var handledBefore = await HandledAsync(http);

        var recorder = new LatencyRecorder(options.WebhookUpdates);
        var clock = Stopwatch.StartNew();
        var failures = await PostManyAsync(http, options.WebhookUpdates, options.Concurrency, () => Interlocked.Increment(ref nextUpdateId), recorder);
        var edge = clock.Elapsed;
        var expected = handledBefore + options.WebhookUpdates;
        var handled = await Eventually.PollAsync(() => HandledAsync(http), count => count >= expected, TimeSpan.FromMinutes(5));
        var drained = clock.Elapsed;

        Console.WriteLine($"Gateway webhook ingest (group messages over {Chats} chats, {options.Concurrency} in flight, {Environment.ProcessorCount} cores)");
        Console.WriteLine(recorder.Report("POST /telegram/webhook", edge).Replace("round trips", "updates    ", StringComparison.Ordinal));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"handled by the gateway",-28} {handled - handledBefore,7} updates      {options.WebhookUpdates / drained.TotalSeconds,9:0} upd/s  (all handled {drained.TotalSeconds:0.0} s after the first POST; non-200 answers: {failures})"));
    }

    private const int Chats = 200;

    private static async Task<int> PostManyAsync(HttpClient http, int count, int concurrency, Func<long> nextId, LatencyRecorder? recorder)
    {
        var remaining = count;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var updateId = nextId();
                using var request = new HttpRequestMessage(HttpMethod.Post, "telegram/webhook") { Content = new StringContent(GroupMessage(updateId), Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                recorder?.Record(started);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return failures;
    }

    private static string GroupMessage(long updateId)
    {
        var chatId = -1_000_000_000_000L - (updateId % Chats);
        var userId = 5_000 + (updateId % 997);
        return string.Create(CultureInfo.InvariantCulture,
            $$$"""{"update_id":{{{updateId}}},"message":{"message_id":{{{updateId}}},"date":1763900000,"chat":{"id":{{{chatId}}},"type":"supergroup","title":"Bench {{{chatId}}}"},"from":{"id":{{{userId}}},"is_bot":false,"first_name":"User{{{userId}}}","language_code":"en"},"text":"hello from {{{userId}}} number {{{updateId}}}"}}""");
    }

    /// <summary>Handler runs so far (succeeded or failed), from the gateway's <c>/metrics</c>.</summary>
    internal static async Task<int> HandledAsync(HttpClient http) => (int)Total(await MetricsAsync(http), IsHandlerRun);

    internal static bool IsHandlerRun(string line) =>
        line.StartsWith("luka_handlers_success_total{", StringComparison.Ordinal) || line.StartsWith("luka_handlers_failure_total{", StringComparison.Ordinal);

    internal static Task<string> MetricsAsync(HttpClient http) => http.GetStringAsync(new Uri("metrics", UriKind.Relative));

    /// <summary>The sum of the samples on the lines of a Prometheus text page that <paramref name="sample"/> picks.</summary>
    internal static double Total(string metrics, Func<string, bool> sample)
    {
        var total = 0d;
        foreach (var line in metrics.Split('\n'))
        {
            if (sample(line))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
