extern alias workflow;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using WorkflowProgram = workflow::Program;

namespace Atlas.Benchmarks.Workflow;

/// <summary>
/// The workflow service in-process against the Camunda Sandbox and the real servers. Two figures: job worker
/// throughput (jobs activated, handled and completed per second, each completion through the idempotent engine
/// path), and the time from the engine's recovery until all work parked during its outage is applied.
/// </summary>
internal static class WorkflowBenchmark
{
    private const string Process = "bench-jobs";
    private const string OpsKey = "workflow-bench-ops-key";

    public static async Task RunAsync(bool smoke)
    {
        var jobs = smoke ? 60 : 2000;
        var parked = smoke ? 20 : 500;
        var sandbox = await SandboxHost.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        await using var _ = sandbox;
        using var engine = new HttpClient { BaseAddress = sandbox.BaseUrl };
        engine.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("demo:demo"u8.ToArray()));
        await PutAsync(engine, $"sandbox/camunda/processes/{Process}", new
        {
            steps = new[] { new { kind = "job", elementId = "send", type = "atlas.send-telegram-message", retries = 3 } },
        });

        var resources = await IsolatedResources.CreateAsync("benchworkflow");
        await using var service = new ServiceFactory<WorkflowProgram>("workflowdb", resources, Settings(sandbox.BaseUrl));
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", OpsKey);

        Console.WriteLine($"Workflow against the Camunda Sandbox ({Environment.ProcessorCount} cores{(smoke ? ", smoke: figures not meaningful" : "")})");
        await JobThroughputAsync(engine, jobs);
        await RecoveryAsync(engine, client, parked);
    }

    private static async Task JobThroughputAsync(HttpClient engine, int jobs)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await PostAsync(engine, "camunda/v2/process-instances", new { processDefinitionId = Process, variables = new { chatId = 9_000_000 + i, text = "bench" } }));

        var created = clock.Elapsed;
        await Eventually.PollAsync(() => CountAsync(engine, Process, "COMPLETED"), done => done >= jobs, TimeSpan.FromMinutes(10));
        var elapsed = clock.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"job worker throughput",-28} {jobs,7} jobs  {jobs / elapsed.TotalSeconds,9:0.0} jobs/s activated+completed  (instances created in {created.TotalSeconds:0.0} s, all done in {elapsed.TotalSeconds:0.0} s)"));
    }

    private static async Task RecoveryAsync(HttpClient engine, HttpClient service, int parked)
    {
        await PutAsync(engine, "sandbox/camunda/switches", new { engineDown = true });
        for (var i = 0; i < parked; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/workflow/process-instances")
            {
                Content = JsonContent.Create(new { processDefinitionId = "atlas-appeal-review", variables = new { chatId = -1, userId = i } }),
            };
            request.Headers.Add("Idempotency-Key", $"bench-parked-{i}");
            using var response = await service.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"Expected the start to be parked (202), got {(int)response.StatusCode}.");
            }
        }

        var clock = Stopwatch.StartNew();
        await PutAsync(engine, "sandbox/camunda/switches", new { engineDown = false });
        await Eventually.PollAsync(() => CountAsync(engine, "atlas-appeal-review", "ACTIVE"), started => started >= parked, TimeSpan.FromMinutes(10));
        var elapsed = clock.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"recovery to parked applied",-28} {parked,7} ops   {elapsed.TotalMilliseconds,9:0} ms from engine up to all applied  ({parked / elapsed.TotalSeconds:0.0} ops/s)"));
    }

    private static Dictionary<string, string?> Settings(Uri sandbox) => new()
    {
        ["Workflow:OpsApiKey"] = OpsKey,
        ["Camunda:RestAddress"] = new Uri(sandbox, "camunda/").ToString(),
        ["Camunda:Auth:Mode"] = "OAuth",
        ["Camunda:Auth:TokenUrl"] = new Uri(sandbox, "camunda/oauth/token").ToString(),
        ["Camunda:Auth:ClientId"] = "atlas-workflow",
        ["Camunda:Auth:ClientSecret"] = "sandbox-secret",
        ["Workflow:Parked:PollInterval"] = "00:00:01",
        ["Workflow:Jobs:MaxConcurrency"] = "32",
        ["Workflow:Jobs:LongPoll"] = "00:00:02",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Atlas.Workflow"] = "Error",
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        ["Logging:LogLevel:MassTransit"] = "Error",
    };

    private static async Task<long> CountAsync(HttpClient engine, string processId, string state)
    {
        using var response = await engine.PostAsJsonAsync("camunda/v2/process-instances/search", new { filter = new { processDefinitionId = processId, state }, page = new { limit = 1 } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("page").GetProperty("totalItems").GetInt64();
    }

    private static async Task PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
    }

    private static async Task PutAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PutAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
    }
}
