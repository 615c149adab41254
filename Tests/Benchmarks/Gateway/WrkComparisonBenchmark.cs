using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Atlas.AppHost.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Atlas.Benchmarks.Gateway;

/// <summary>
/// The webhook edge side by side with its peers, loaded out of process by wrk (2 threads, 64 connections, a distinct
/// update per request): the gateway (consumers on), the gateway's edge alone (its ingest consumer held by
/// <see cref="IngestHold"/> during the round, the held updates handled before the next round), grammY's
/// <c>webhookCallback</c> on Node with a no-op handler, and a bare Kestrel endpoint that reads the body and answers 200
/// (the floor). Rounds alternate between the targets.
/// Prints updates/s, p50/p99, CPU per update (the target's process and the whole machine, wrk included), the ratios,
/// and for the gateway how many acknowledged updates its handlers ran; at the end, the gateway's own accounting over
/// all rounds: updates handed to the broker against handler runs (lost, handled twice) and duplicates it dropped.
/// </summary>
internal static class WrkComparisonBenchmark
{
    private const string Secret = "bench-webhook-secret";
    private const int Connections = 64;
    private const string EdgeAlone = "gateway edge alone";

    // At most this many gateway warm-up rounds (see JitWarmUp).
    private const int MaxWarmUps = 6;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        Console.WriteLine($"Webhook edge side by side (wrk 2 threads, {Connections} connections, distinct updates, {options.WrkSeconds} s rounds x {options.WrkRounds} after warm-up, {Environment.ProcessorCount} cores)");
        if (!Tool.Exists("wrk"))
        {
            throw new InvalidOperationException("wrk is not installed: run .ci/setup as root, or apt-get install wrk.");
        }

        var work = Directory.CreateTempSubdirectory("atlas-wrk-").FullName;
        try
        {
            var script = Path.Combine(work, "updates.lua");
            await File.WriteAllTextAsync(script, LuaScript);
            var hold = new IngestHold();
            await using var gateway = await GatewayBench.StartAsync("benchwrk", limits: null, new Dictionary<string, string?>
            {
                ["Telegram:Mode"] = "Webhook",
                ["Telegram:WebhookSecret"] = Secret,
                ["Telegram:WebhookBaseUrl"] = "http://127.0.0.1:1/",
            }, services => services.AddConsumeObserver(_ => hold));
            await using var floor = await StartFloorAsync();
            using var grammy = await GrammyServer.StartAsync(work);
            using var metrics = new HttpClient { BaseAddress = gateway.GatewayUrl };

            var webhook = new Uri(gateway.GatewayUrl, "telegram/webhook");
            var targets = new List<Target>
            {
                new("gateway webhook", webhook, Environment.ProcessId),
                new(EdgeAlone, webhook, Environment.ProcessId),
            };
            if (grammy.Process is { } node)
            {
                targets.Add(new("grammY webhookCallback", grammy.Url!, node.Id));
            }
            else
            {
                Console.WriteLine($"  grammY not measured: {grammy.Problem}");
            }

            targets.Add(new("bare Kestrel (floor)", new Uri($"http://127.0.0.1:{floor.Port}/"), Environment.ProcessId));

            var results = targets.ToDictionary(t => t.Name, _ => new List<WrkResult>());
            var handledBefore = await WebhookIngestBenchmark.HandledAsync(metrics);
            var accountedBefore = await Accounting.ReadAsync(metrics);
            long acknowledged = 0;
            var handledTime = TimeSpan.Zero;
            var nextBase = 100_000_000L;
            // Warm-up rounds, as long as measured ones, so the JITs have compiled the hot paths before anything counts:
            // the gateway's until .NET's tiered compilation has (nearly) settled, measured by the methods it compiled
            // during a round; one of each other target. The gateway's updates are handled before the first round begins.
            var (warmUps, compiled) = await JitWarmUp.RunAsync(MaxWarmUps, async () =>
            {
                var warmUp = await RunWrkAsync(script, targets[0], options.WrkSeconds, nextBase += 10_000_000);
                handledBefore = await DrainAsync(metrics, handledBefore, warmUp.Requests - warmUp.Failures);
            });

            foreach (var target in targets.Skip(2))
            {
                await RunWrkAsync(script, target, options.WrkSeconds, nextBase += 10_000_000);
            }

            Console.WriteLine($"  warm-up: {warmUps} gateway round(s), the last compiled {compiled} methods; 1 round of each other target");

            for (var round = 0; round < options.WrkRounds; round++)
            {
                foreach (var target in targets)
                {
                    var started = Stopwatch.StartNew();
                    if (target == targets[1])
                    {
                        hold.Close();
                    }

                    var result = await RunWrkAsync(script, target, options.WrkSeconds, nextBase += 10_000_000);
                    results[target.Name].Add(result);
                    if (target == targets[1])
                    {
                        hold.Open();
                        handledBefore = await DrainAsync(metrics, handledBefore, result.Requests - result.Failures);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  round {round + 1}: edge alone acknowledged {result.Requests - result.Failures} with the consumer held; all handled {started.Elapsed.TotalSeconds:0.0} s after the round began"));
                    }
                    else if (target == targets[0])
                    {
                        acknowledged += result.Requests - result.Failures;
                        var handled = await DrainAsync(metrics, handledBefore, result.Requests - result.Failures);
                        handledTime += started.Elapsed;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  round {round + 1}: gateway acknowledged {result.Requests - result.Failures}, handlers ran {handled - handledBefore} (updates in flight when wrk stops, up to {Connections} a round, count where they are handled), all handled {started.Elapsed.TotalSeconds:0.0} s after the round began"));
                        handledBefore = handled;
                    }
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"target",-24} {"updates/s",10} {"p50",9} {"p99",9} {"CPU/update",11} {"machine/upd",12} {"non-2xx",8}"));
            foreach (var target in targets)
            {
                var runs = results[target.Name];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {target.Name,-24} {runs.Average(r => r.PerSecond),10:0} {runs.Average(r => r.P50Ms),7:0.00}ms {runs.Average(r => r.P99Ms),7:0.00}ms {runs.Average(r => r.ProcessCpuMsPerRequest),9:0.000}ms {runs.Average(r => r.MachineCpuMsPerRequest),10:0.000}ms {runs.Sum(r => r.Failures),8}"));
            }

            Console.WriteLine(await Accounting.ReportAsync(metrics, accountedBefore));

            var gatewayRate = results[targets[0].Name].Average(r => r.PerSecond);
            var edgeRate = results[EdgeAlone].Average(r => r.PerSecond);
            var floorRate = results[targets[^1].Name].Average(r => r.PerSecond);
            var grammyRate = grammy.Process is null ? (double?)null : results[targets[2].Name].Average(r => r.PerSecond);
            string Versus(double rate) => grammyRate is { } g ? (rate / g).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  gateway/grammY {Versus(gatewayRate)}x   edge alone/grammY {Versus(edgeRate)}x   gateway/floor {gatewayRate / floorRate:0.00}x   gateway handled end to end {acknowledged / handledTime.TotalSeconds:0} upd/s"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // Over every round, warm-ups included: updates the gateway handed to the broker (the sum of its ingest batch sizes),
    // handler runs (one per update here), and deliveries its deduplication dropped. With every acknowledged update
    // handled (each round drains), a handler count short of the published count is a loss, one above it a double run.
    private sealed record Accounting(long Published, long Handled, long DuplicatesDropped)
    {
        public static async Task<Accounting> ReadAsync(HttpClient metrics)
        {
            var text = await WebhookIngestBenchmark.MetricsAsync(metrics);
            return new(
                (long)WebhookIngestBenchmark.Total(text, line => line.StartsWith("gateway_ingest_batch_size_sum", StringComparison.Ordinal)),
                (long)WebhookIngestBenchmark.Total(text, WebhookIngestBenchmark.IsHandlerRun),
                (long)WebhookIngestBenchmark.Total(text, line => line.StartsWith("luka_updates_dropped_total{", StringComparison.Ordinal)
                    && line.Contains("reason=\"duplicate\"", StringComparison.Ordinal)));
        }

        public static async Task<string> ReportAsync(HttpClient metrics, Accounting before)
        {
            Accounting after;
            try
            {
                // The last updates in flight when wrk stopped may still be on their way through the consumer.
                after = await Atlas.Testing.Eventually.PollAsync(() => ReadAsync(metrics),
                    a => a.Handled - before.Handled >= a.Published - before.Published, TimeSpan.FromMinutes(1));
            }
            catch (TimeoutException)
            {
                after = await ReadAsync(metrics);
            }

            var published = after.Published - before.Published;
            var handled = after.Handled - before.Handled;
            return string.Create(CultureInfo.InvariantCulture,
                $"  gateway accounting, all rounds: {published} updates handed to the broker, {handled} handled: {Math.Max(0, published - handled)} lost, {Math.Max(0, handled - published)} handled twice, {after.DuplicatesDropped - before.DuplicatesDropped} duplicate deliveries dropped");
        }
    }

    // Waits until the gateway's handlers have run for every acknowledged update; returns the handler count.
    private static async Task<int> DrainAsync(HttpClient metrics, int before, long acknowledged) =>
        await Atlas.Testing.Eventually.PollAsync(() => WebhookIngestBenchmark.HandledAsync(metrics), count => count >= before + acknowledged, TimeSpan.FromMinutes(5));

    private static async Task<WrkResult> RunWrkAsync(string script, Target target, int seconds, long updateBase)
    {
        var cpuBefore = ProcessCpu(target.Pid);
        var machineBefore = MachineCpu();
        var start = new ProcessStartInfo("wrk", ["-t2", $"-c{Connections}", $"-d{seconds}s", "--latency", "-s", script, target.Url.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["WRK_BASE"] = updateBase.ToString(CultureInfo.InvariantCulture);
        start.Environment["WRK_SECRET"] = Secret;
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var errors = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed against {target.Name}: {errors}{output}");
        }

        var result = WrkOutput.Parse(output);
        var requests = Math.Max(1, result.Requests);
        return result with
        {
            ProcessCpuMsPerRequest = (ProcessCpu(target.Pid) - cpuBefore).TotalMilliseconds / requests,
            MachineCpuMsPerRequest = (MachineCpu() - machineBefore).TotalMilliseconds / requests,
        };
    }

    private static TimeSpan ProcessCpu(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }

    // Busy time of all cores from /proc/stat (user, nice, system, irq, softirq, steal), in 1/100 s ticks.
    private static TimeSpan MachineCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds((Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) * 10);
    }

    private static async Task<Floor> StartFloorAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            return Results.Ok();
        });
        await app.StartAsync();
        return new Floor(app, port);
    }

    private sealed record Target(string Name, Uri Url, int Pid);

    private sealed record Floor(WebApplication App, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    // Every request is a distinct group message: update ids from WRK_BASE, 4,000,000 apart per wrk thread.
    private const string LuaScript = """
        local threads = 0
        function setup(thread)
          thread:set("tid", threads)
          threads = threads + 1
        end
        function init(args)
          base = tonumber(os.getenv("WRK_BASE")) + tid * 4000000
          secret = os.getenv("WRK_SECRET")
          n = 0
        end
        function request()
          n = n + 1
          local id = base + n
          local chat = -1000000000000 - (id % 200)
          local user = 5000 + (id % 997)
          local body = string.format('{"update_id":%d,"message":{"message_id":%d,"date":1763900000,"chat":{"id":%d,"type":"supergroup","title":"Bench"},"from":{"id":%d,"is_bot":false,"first_name":"User","language_code":"en"},"text":"hello %d"}}', id, id, chat, user, id)
          return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = secret}, body)
        end
        """;
}
