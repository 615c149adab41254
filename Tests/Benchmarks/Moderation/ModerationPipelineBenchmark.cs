extern alias moderation;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Atlas.Benchmarks.Gateway;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Benchmarks.Moderation;

/// <summary>
/// The moderation path end to end: group messages POSTed to the gateway's webhook at a steady pace, published to
/// Moderation over the real RabbitMQ, judged (a banned word), and the gateway's deleteMessage reaching the Sandbox.
/// The latency of each message is the Sandbox's time of that deleteMessage minus the time its POST began.
/// </summary>
internal static class ModerationPipelineBenchmark
{
    private const string Secret = "bench-moderation-secret";
    private const int Chats = 20;
    private const long FirstChat = -1_003_000_000_000L;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        await using var bench = await GatewayBench.StartAsync("benchmod", SandboxLimits.Unlimited, new Dictionary<string, string?>
        {
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookSecret"] = Secret,
            ["Telegram:WebhookBaseUrl"] = "http://127.0.0.1:1/",
        });
        var gatewayResources = bench.Gateway.Resources;
        var resources = gatewayResources with
        {
            Database = await gatewayResources.Servers.CreateDatabaseAsync("benchmod"),
            RedisKeyPrefix = RealServers.NewKeyPrefix("benchmod"),
        };
        await using var moderationHost = new ServiceFactory<moderation::Program>("moderationdb", resources, new Dictionary<string, string?>
        {
            ["Moderation:OpsApiKey"] = "bench-ops-key",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MassTransit"] = "Error",
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        });
        using var ops = moderationHost.CreateClient();
        ops.DefaultRequestHeaders.Add("X-Admin-Key", "bench-ops-key");
        await Eventually.PollAsync(async () => (await ops.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        for (var c = 0; c < Chats; c++)
        {
            var chat = FirstChat - c;
            await bench.Sandbox.Telegram.SetMemberStatusAsync(
                bench.Bot.Token, chat, bench.Bot.Id, "administrator", new JsonObject { ["can_delete_messages"] = true, ["can_restrict_members"] = true }, chatType: "supergroup");
            using var body = new StringContent("""{"bannedWords": ["spam"], "floodMessages": 0, "warnLimit": 100}""", Encoding.UTF8, "application/json");
            (await ops.PutAsync(new Uri($"/moderation/chats/{chat}/settings", UriKind.Relative), body)).EnsureSuccessStatusCode();
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = bench.GatewayUrl };
        var posted = new System.Collections.Concurrent.ConcurrentDictionary<long, DateTimeOffset>();
        var nextId = 2_000_000L;

        // Warm-up: one message per chat, so admin lists are cached and connections are open before measuring.
        await SendPacedAsync(http, Chats, 100, () => ++nextId, posted);
        await WaitForDeletesAsync(bench, Chats, TimeSpan.FromSeconds(60));
        var warmSeq = (await bench.Sandbox.Telegram.GetActionsAsync(bench.Bot.Token)).Select(a => a.Seq).DefaultIfEmpty(0).Max();
        posted.Clear();

        var clock = Stopwatch.StartNew();
        await SendPacedAsync(http, options.ModerationMessages, options.ModerationRate, () => Interlocked.Increment(ref nextId), posted);
        var sending = clock.Elapsed;
        var deletes = await WaitForDeletesAsync(bench, options.ModerationMessages, TimeSpan.FromMinutes(5), warmSeq);

        var latencies = deletes
            .Select(d => posted.TryGetValue(d.Parameters["message_id"]!.GetValue<long>(), out var at) ? (d.At - at).TotalMilliseconds : double.NaN)
            .Where(ms => !double.IsNaN(ms)).OrderBy(ms => ms).ToArray();
        Console.WriteLine($"Moderation pipeline (webhook POST -> gateway -> RabbitMQ -> Moderation -> RabbitMQ -> gateway -> deleteMessage at the Sandbox; {Environment.ProcessorCount} cores)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"group message -> deleteMessage",-32} {latencies.Length,6} messages  offered {options.ModerationMessages / sending.TotalSeconds,6:0} msg/s  p50 {P(latencies, 0.50),8:0.00} ms  p99 {P(latencies, 0.99),8:0.00} ms  max {latencies[^1],8:0.00} ms"));
    }

    // Open loop: message i is due at i / rate seconds, whether or not earlier ones have been answered.
    private static async Task SendPacedAsync(HttpClient http, int count, int rate, Func<long> nextId, System.Collections.Concurrent.ConcurrentDictionary<long, DateTimeOffset> posted)
    {
        var started = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var id = nextId();
            posted[id] = DateTimeOffset.UtcNow;
            inFlight.Add(PostAsync(http, id));
        }

        await Task.WhenAll(inFlight);
    }

    private static async Task PostAsync(HttpClient http, long id)
    {
        var chat = FirstChat - (id % Chats);
        var user = 50_000 + (id % 997);
        var json = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"update_id":{{{id}}},"message":{"message_id":{{{id}}},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"chat":{"id":{{{chat}}},"type":"supergroup","title":"Bench"},"from":{"id":{{{user}}},"is_bot":false,"first_name":"U"},"text":"buy spam now {{{id}}}"}}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "telegram/webhook") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The webhook answered {(int)response.StatusCode}.");
        }
    }

    private static Task<IReadOnlyList<SandboxAction>> WaitForDeletesAsync(GatewayBench bench, int count, TimeSpan timeout, long after = 0) =>
        Eventually.PollAsync(
            () => bench.Sandbox.Telegram.GetActionsAsync(bench.Bot.Token, after: after, method: "deleteMessage"),
            deletes => deletes.Count >= count, timeout);

    private static double P(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
