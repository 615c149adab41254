using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.AppHost.Restarts;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.IntegrationTests;

/// <summary>The whole stack from the real AppHost: health, the bus, Telegram through the Sandbox, commands, restarts, secrets.</summary>
[Collection("stack")]
public sealed class StackTests(RunningAtlas stack)
{
    private DistributedApplication App => stack.App;

    [Fact]
    public async Task Every_resource_is_running_and_healthy_and_every_service_answers_healthz()
    {
        foreach (var name in RunningAtlas.Infrastructure.Concat(RunningAtlas.Services).Append("sandbox"))
        {
            App.ResourceNotifications.TryGetCurrentState(name, out var state).Should().BeTrue(name);
            state!.Snapshot.State?.Text.Should().Be(KnownResourceStates.Running, name);
            state.Snapshot.HealthStatus.Should().Be(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, name);
        }

        foreach (var service in RunningAtlas.Services)
        {
            using var http = App.CreateHttpClient(service, "http");
            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            response.StatusCode.Should().Be(HttpStatusCode.OK, service);
        }

        // The console says so once, counting servers, databases, services and the Sandbox.
        var ready = await stack.PrintedReady.WaitAsync(TimeSpan.FromSeconds(30));
        ready.Should().MatchRegex(@"^Atlas is ready: all 14 resources are running and healthy, \d+\.\d s after the AppHost started\.$");
    }

    [Fact]
    public async Task Every_service_is_on_the_bus()
    {
        await using var bus = await TestBus.StartAsync(await App.GetConnectionStringAsync("rabbitmq") ?? "");

        var pongs = await Task.WhenAll(RunningAtlas.Services.Select(service => bus.PingAsync(service, TimeSpan.FromSeconds(30))));

        pongs.Select(p => p.Service).Should().BeEquivalentTo(RunningAtlas.Services);
    }

    [Fact]
    public async Task Help_sent_in_the_sandbox_is_answered_by_the_gateway()
    {
        var token = await stack.SecretAsync("sandbox-bot-token");
        using var telegram = new TelegramSandboxClient(App.GetEndpoint("sandbox", "http"));

        var sent = await telegram.SendMessageAsync(token, new SandboxUserMessage { UserId = 4242, FirstName = "Ada", LanguageCode = "en", Text = "/help" });

        var replies = await telegram.WaitForActionsAsync(token, actions => actions.Any(a => a.Ok && a.Parameters["chat_id"]?.GetValue<long>() == 4242),
            method: "sendMessage", timeout: TimeSpan.FromSeconds(60));
        replies.Should().Contain(a => a.Ok && a.Parameters["chat_id"]!.GetValue<long>() == 4242, $"update {sent.UpdateId} (/help) should be answered");
    }

    [Fact]
    public async Task The_freeze_and_tier_commands_act_through_the_gateway_admin_api()
    {
        var freeze = await App.ResourceCommands.ExecuteCommandAsync("gateway", "freeze");
        freeze.Success.Should().BeTrue(freeze.Message);
        (await GatewayStatusAsync()).GetProperty("frozen").GetBoolean().Should().BeTrue();

        var crisis = await App.ResourceCommands.ExecuteCommandAsync("gateway", "tier-crisis");
        crisis.Success.Should().BeTrue(crisis.Message);
        (await GatewayStatusAsync()).GetProperty("rateLimitTier").GetString().Should().Be("crisis");

        (await App.ResourceCommands.ExecuteCommandAsync("gateway", "tier-normal")).Success.Should().BeTrue();
        (await App.ResourceCommands.ExecuteCommandAsync("gateway", "unfreeze")).Success.Should().BeTrue();
        (await GatewayStatusAsync()).GetProperty("frozen").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task A_killed_gateway_is_restarted_by_the_restart_policy()
    {
        App.ResourceNotifications.TryGetCurrentState("gateway", out var before).Should().BeTrue();
        var runner = before!.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value!.ToString()!;
        var service = ChildOf(int.Parse(runner, System.Globalization.CultureInfo.InvariantCulture));
        // The chaos drills on this shared stack kill the gateway too: count from the restarts already made.
        var restartsBefore = Restarts(before.Snapshot);

        System.Diagnostics.Process.GetProcessById(service).Kill();

        var restarted = await App.ResourceNotifications.WaitForResourceAsync("gateway",
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && Restarts(e.Snapshot) > restartsBefore)
            .WaitAsync(TimeSpan.FromSeconds(120));
        restarted.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value!.ToString().Should().NotBe(runner);
        await WaitHealthyOrExplainAsync("gateway", TimeSpan.FromSeconds(180));
        using var http = App.CreateHttpClient("gateway", "http");
        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task No_secret_reaches_a_resource_console_log()
    {
        string[] secrets =
        [
            await stack.SecretAsync("redis-password"), await stack.SecretAsync("postgres-password"), await stack.SecretAsync("rabbitmq-password"),
            await stack.SecretAsync("sandbox-bot-token"), await stack.SecretAsync("gateway-admin-key"),
            await stack.SecretAsync("llmrouter-admin-key"), await stack.SecretAsync("sandbox-llm-key"), await stack.SecretAsync("moderation-ops-key"),
            await stack.SecretAsync("backup-encryption-key"), await stack.SecretAsync("camunda-client-secret"),
        ];
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();

        foreach (var service in RunningAtlas.Services.Append("sandbox"))
        {
            var lines = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            App.ResourceNotifications.TryGetCurrentState(service, out var current).Should().BeTrue();
            await foreach (var batch in logs.WatchAsync(current!.ResourceId).WithCancellation(timeout.Token))
            {
                lines.AddRange(batch.Select(l => l.Content));
                if (lines.Any(l => l.Contains("Now listening", StringComparison.Ordinal)))
                {
                    break;
                }
            }

            var text = string.Join('\n', lines);
            text.Should().Contain("Now listening", $"{service}'s console output is captured");
            foreach (var secret in secrets)
            {
                text.Should().NotContain(secret, $"a secret must never reach {service}'s log");
            }
        }
    }

    /// <summary>Waits for Aspire to call the resource healthy; on timeout the failure names each health report and what /readyz answers.</summary>
    private async Task WaitHealthyOrExplainAsync(string resource, TimeSpan timeout)
    {
        try
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            App.ResourceNotifications.TryGetCurrentState(resource, out var state);
            var reports = string.Join("; ", state?.Snapshot.HealthReports.Select(r => $"{r.Name}={r.Status} at {r.LastRunAt:O}: {r.Description} {r.ExceptionText}") ?? []);
            using var http = App.CreateHttpClient(resource, "http");
            using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            var body = await ready.Content.ReadAsStringAsync();
            var console = await ConsoleTailAsync(state!.ResourceId, 40);
            throw new TimeoutException(
                $"{resource} not healthy after {timeout}: state {state.Snapshot.State?.Text}, health {state.Snapshot.HealthStatus}; reports: {reports}; "
                + $"/readyz now {(int)ready.StatusCode}: {body}\nconsole tail:\n{console}");
        }
    }

    // The last lines a resource wrote to its console (the backlog the dashboard shows).
    private async Task<string> ConsoleTailAsync(string resourceId, int lines)
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var tail = new Queue<string>();
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(quiet.Token))
            {
                foreach (var line in batch)
                {
                    tail.Enqueue(line.Content);
                    if (tail.Count > lines)
                    {
                        tail.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The backlog came first; three seconds is all the tail waits for.
        }

        return string.Join('\n', tail);
    }

    private async Task<JsonElement> GatewayStatusAsync()
    {
        using var http = App.CreateHttpClient("gateway", "http");
        http.DefaultRequestHeaders.Add("X-Admin-Key", await stack.SecretAsync("gateway-admin-key"));
        return await http.GetFromJsonAsync<JsonElement>(new Uri("/admin/status", UriKind.Relative));
    }

    private static int Restarts(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == RestartPolicyAnnotation.RestartsProperty)?.Value is { } value
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    // Aspire runs a project under `dotnet run`; the service is its child process.
    private static int ChildOf(int parent) =>
        File.ReadAllText($"/proc/{parent}/task/{parent}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Single();
}
