extern alias moderation;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Atlas.Benchmarks.Gateway;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Npgsql;

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
    private const int MaxWarmUps = 4;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        using var durations = new DurationListener();
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
        var nextId = 2_000_000L;

        // Warm-up: one message per chat, so admin lists are cached and connections are open; then rounds at the measured
        // pace until the JIT has (nearly) settled, each worked off before the next.
        await SendPacedAsync(http, Chats, 100, () => ++nextId);
        var warmSeq = (await WaitForDeletesAsync(bench, Chats, TimeSpan.FromSeconds(60)))[^1].Seq;
        var warmUpMessages = Math.Min(options.ModerationMessages, 2000);
        var (warmUps, compiled) = await JitWarmUp.RunAsync(MaxWarmUps, async () =>
        {
            await SendPacedAsync(http, warmUpMessages, options.ModerationRate, () => Interlocked.Increment(ref nextId));
            warmSeq = (await WaitForDeletesAsync(bench, warmUpMessages, TimeSpan.FromMinutes(5), warmSeq))[^1].Seq;
        });

        Console.WriteLine($"Moderation pipeline (webhook POST -> gateway -> RabbitMQ -> Moderation -> RabbitMQ -> gateway -> deleteMessage at the Sandbox; {Environment.ProcessorCount} cores)");
        Console.WriteLine($"  warm-up: {warmUps} round(s) of {warmUpMessages} messages at the measured pace, the last compiled {compiled} methods");
        durations.Start();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var load = await SendPacedAsync(http, options.ModerationMessages, options.ModerationRate, () => Interlocked.Increment(ref nextId));
        var deletes = await WaitForDeletesAsync(bench, options.ModerationMessages, TimeSpan.FromMinutes(5), warmSeq);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var decided = await DecisionTimesAsync(resources.Database);

        var arrived = deletes
            .Select(d => (Id: d.Parameters["message_id"]!.GetValue<long>(), d.At))
            .Where(d => load.Posts.ContainsKey(d.Id)).ToArray();
        var total = Sorted(arrived.Select(d => (d.At - load.Posts[d.Id].Began).TotalMilliseconds));
        var answered = Sorted(load.Posts.Values.Select(p => (p.Answered - p.Began).TotalMilliseconds));
        var toDecision = Sorted(arrived.Where(d => decided.ContainsKey(d.Id)).Select(d => (decided[d.Id] - load.Posts[d.Id].Began).TotalMilliseconds));
        var fromDecision = Sorted(arrived.Where(d => decided.ContainsKey(d.Id)).Select(d => (d.At - decided[d.Id]).TotalMilliseconds));
        var first = load.Posts.Values.Min(p => p.Began);
        var achieved = arrived.Length / (arrived.Max(d => d.At) - first).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"group message -> deleteMessage",-36} {total.Length,6} messages  offered {load.OfferedRate,5:0} msg/s (target {options.ModerationRate})  achieved {achieved,5:0} msg/s  {Figures(total)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"  webhook POST -> 200",-36} {answered.Length,6} messages  {Figures(answered)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"  webhook POST -> Moderation decided",-36} {toDecision.Length,6} messages  {Figures(toDecision)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"  Moderation decided -> deleteMessage",-36} {fromDecision.Length,6} messages  {Figures(fromDecision)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU of this process (generator, Sandbox, gateway, Moderation) while measured: {cpu.TotalSeconds:0.0} s, {cpu.TotalMilliseconds / options.ModerationMessages:0.00} ms per message; load average {LoadAverage()}"));
        Console.WriteLine("  inside the services (their own histograms; delivery = broker to consumer, consume = the consumer's work):");
        foreach (var line in durations.Report())
        {
            Console.WriteLine(line);
        }
    }

    private sealed record Post(DateTimeOffset Began, DateTimeOffset Answered);

    private sealed record Load(System.Collections.Concurrent.ConcurrentDictionary<long, Post> Posts, double OfferedRate);

    // Open loop: message i is due at i / rate seconds, whether or not earlier ones have been answered. The offered rate
    // is over the time the messages were started (not until the last answer), so a slow gateway cannot hide in it.
    private static async Task<Load> SendPacedAsync(HttpClient http, int count, int rate, Func<long> nextId)
    {
        var posts = new System.Collections.Concurrent.ConcurrentDictionary<long, Post>();
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

            inFlight.Add(PostAsync(http, nextId(), posts));
        }

        var sending = Stopwatch.GetElapsedTime(started);
        await Task.WhenAll(inFlight);
        return new Load(posts, count <= 1 ? double.NaN : (count - 1) / sending.TotalSeconds);
    }

    // When Moderation recorded the deletion of each message (the decision's audit row, written as its transaction begins).
    private static async Task<Dictionary<long, DateTimeOffset>> DecisionTimesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT message_id, recorded_at FROM audit_log WHERE action = 'DeleteMessage'", connection);
        var times = new Dictionary<long, DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            times[reader.GetInt64(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return times;
    }

    // The machine is shared: figures mean little without knowing how busy it was (Linux only; "?" elsewhere).
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static double[] Sorted(IEnumerable<double> values) => [.. values.Order()];

    private static string Figures(double[] sorted) => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P(sorted, 0.50),8:0.00} ms  p99 {P(sorted, 0.99),8:0.00} ms  max {P(sorted, 1),8:0.00} ms");

    private static async Task PostAsync(HttpClient http, long id, System.Collections.Concurrent.ConcurrentDictionary<long, Post> posts)
    {
        var began = DateTimeOffset.UtcNow;
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

        posts[id] = new Post(began, DateTimeOffset.UtcNow);
    }

    // Reads only the deletes since the last look: the Sandbox shares the process and the cores with what is measured,
    // and fetching every delete so far ten times a second grew into a load of its own.
    private static async Task<IReadOnlyList<SandboxAction>> WaitForDeletesAsync(GatewayBench bench, int count, TimeSpan timeout, long after = 0)
    {
        var deletes = new List<SandboxAction>();
        await Eventually.PollAsync(
            async () =>
            {
                var since = deletes.Count > 0 ? deletes[^1].Seq : after;
                deletes.AddRange(await bench.Sandbox.Telegram.GetActionsAsync(bench.Bot.Token, after: since, method: "deleteMessage"));
                return deletes.Count;
            },
            seen => seen >= count, timeout);
        return deletes;
    }

    private static double P(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
