using System.Collections.Concurrent;
using Atlas.Contracts.Telegram;
using Atlas.Testing;
using Atlas.Workflow.Camunda;
using Atlas.Workflow.Jobs;
using Atlas.Workflow.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Workflow.Tests.Jobs;

/// <summary>Job workers: technical failures are retried with back-off until they run out; business failures are BPMN errors.</summary>
public sealed class JobWorkers : IAsyncLifetime
{
    private WorkflowWorld _world = null!;

    public async Task InitializeAsync() => _world = await WorkflowWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_job_that_fails_twice_is_retried_and_completes_on_the_third_activation()
    {
        var flaky = new FlakyJob(failures: 2);
        await _world.Camunda.ConfigureProcessAsync("test-flaky", new { steps = new[] { new { kind = "job", elementId = "flaky", type = FlakyJob.Type, retries = 3 } } });
        await using var service = _world.StartService(s => s.AddSingleton<IJobHandler>(flaky));
        using var client = service.CreateClient();

        var (_, started) = await WorkflowHttp.StartProcessAsync(client, "test-flaky", new { n = 1 });
        var key = started.GetProperty("result").GetProperty("processInstanceKey").GetString()!;
        var instance = await Eventually.PollAsync(() => _world.Camunda.InstanceAsync(key), i => i.GetProperty("state").GetString() == "COMPLETED");

        instance.GetProperty("hasIncident").GetBoolean().Should().BeFalse();
        instance.GetProperty("variables").GetProperty("attempt").GetInt32().Should().Be(3);
        var job = (await _world.Camunda.JobsAsync(FlakyJob.Type)).EnumerateArray().Single();
        job.GetProperty("activations").GetInt32().Should().Be(3);
        job.GetProperty("retries").GetInt32().Should().Be(1, "each failure reported one retry fewer");
        flaky.Calls.Should().Be(3);
    }

    [Fact]
    public async Task A_job_out_of_retries_raises_an_incident_and_moderators_are_told()
    {
        var broken = new FlakyJob(failures: int.MaxValue);
        await _world.Camunda.ConfigureProcessAsync("test-broken", new { steps = new[] { new { kind = "job", elementId = "broken", type = FlakyJob.Type, retries = 2 } } });
        await using var bus = await TestBus.StartAsync(_world.Resources.RabbitMq);
        var sent = new ConcurrentQueue<SendTelegramMessage>();
        var handle = bus.Bus.ConnectReceiveEndpoint("workflow-tests-sends", e => e.Handler<SendTelegramMessage>(c => { sent.Enqueue(c.Message); return Task.CompletedTask; }));
        await handle.Ready;
        await using var service = _world.StartService(s => s.AddSingleton<IJobHandler>(broken));
        using var client = service.CreateClient();

        var (_, started) = await WorkflowHttp.StartProcessAsync(client, "test-broken");
        var key = started.GetProperty("result").GetProperty("processInstanceKey").GetString()!;
        var instance = await Eventually.PollAsync(() => _world.Camunda.InstanceAsync(key), i => i.GetProperty("hasIncident").GetBoolean());
        var notice = await Eventually.PollAsync(() => Task.FromResult(sent.ToList()), l => l.Count > 0);

        instance.GetProperty("state").GetString().Should().Be("ACTIVE");
        instance.GetProperty("incidentMessage").GetString().Should().Contain("InvalidOperationException");
        notice.Single().ChatId.Should().Be(WorkflowWorld.ModeratorChatId);
        notice.Single().Text.Should().Contain("ran out of retries");
        broken.Calls.Should().Be(2);
    }

    [Fact]
    public async Task A_declined_consent_is_recorded_and_ends_onboarding_through_its_bpmn_error()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world);

        var (_, started) = await WorkflowHttp.StartProcessAsync(client, "atlas-onboarding", new { chatId = 4242, userId = 4242 });
        var key = started.GetProperty("result").GetProperty("processInstanceKey").GetString()!;
        await Eventually.PollAsync(() => _world.Camunda.InstanceAsync(key), i => i.TryGetProperty("waitingMessage", out var m) && m.GetString() == "consent-given");
        using var correlate = new HttpClient { BaseAddress = _world.Sandbox.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "camunda/v2/messages/correlation")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { name = "consent-given", correlationKey = "4242", variables = new { consent = false } }),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("demo:demo"u8.ToArray()));
        (await correlate.SendAsync(request)).EnsureSuccessStatusCode();
        var instance = await Eventually.PollAsync(() => _world.Camunda.InstanceAsync(key), i => i.GetProperty("state").GetString() == "COMPLETED");

        instance.GetProperty("caughtErrors").EnumerateArray().Select(e => e.GetString()).Should().Equal("consent-declined");
        instance.GetProperty("hasIncident").GetBoolean().Should().BeFalse();
        await using var connection = new Npgsql.NpgsqlConnection(_world.Resources.Database);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("SELECT consented FROM consents WHERE user_id = 4242", connection);
        ((bool)(await query.ExecuteScalarAsync())!).Should().BeFalse();
    }

    /// <summary>A job handler that throws for its first <c>failures</c> calls, then completes with the attempt number.</summary>
    private sealed class FlakyJob(int failures) : IJobHandler
    {
        public const string Type = "test.flaky";
        private int _calls;

        public int Calls => _calls;

        public string JobType => Type;

        public Task<JobResult> HandleAsync(ActivatedJob job, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            return call <= failures
                ? throw new InvalidOperationException($"flaky failure {call}")
                : Task.FromResult(JobResult.Complete(new() { ["attempt"] = call }));
        }
    }
}
