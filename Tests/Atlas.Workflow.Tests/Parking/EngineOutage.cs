using System.Net;
using Atlas.Contracts.Workflow;
using Atlas.Testing;
using Atlas.Workflow.Tests.Support;
using MassTransit;

namespace Atlas.Workflow.Tests.Parking;

/// <summary>Work the engine cannot take (503) is parked in PostgreSQL; an operator's resume applies it exactly once.</summary>
public sealed class EngineOutage : IAsyncLifetime
{
    // Automatic retry far away, so only the operator's resume applies the parked completion.
    private static readonly Dictionary<string, string?> ManualOnly = new()
    {
        ["Workflow:Parked:PollInterval"] = "00:10:00",
        ["Workflow:Parked:FirstRetryDelay"] = "00:10:00",
        ["Workflow:Parked:MaxRetryDelay"] = "00:10:00",
    };

    private WorkflowWorld _world = null!;

    public async Task InitializeAsync() => _world = await WorkflowWorld.StartAsync(ManualOnly);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_completion_during_a_503_is_parked_and_an_operator_resume_applies_it_once()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world);
        var (_, started) = await WorkflowHttp.StartProcessAsync(client, "atlas-appeal-review", new { chatId = -100, userId = 7, appealId = "a-1" });
        var instanceKey = started.GetProperty("result").GetProperty("processInstanceKey").GetString()!;
        var taskKey = (await WorkflowHttp.WaitUserTaskAsync(_world, instanceKey)).GetProperty("userTaskKey").GetString()!;

        await _world.Camunda.SwitchAsync(engineDown: true);
        var (status, parked) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/completion", new { variables = new { decision = "uphold" } });

        status.Should().Be(HttpStatusCode.Accepted);
        parked.GetProperty("status").GetString().Should().Be("parked");
        var operationId = parked.GetProperty("operationId").GetString()!;
        var (_, list) = await WorkflowHttp.GetAsync(client, "/workflow/parked?state=parked");
        var entry = list.EnumerateArray().Single(p => p.GetProperty("operationId").GetString() == operationId);
        entry.GetProperty("kind").GetString().Should().Be("complete-user-task");
        entry.GetProperty("attempts").GetInt32().Should().Be(1);
        entry.GetProperty("lastError").GetString().Should().Contain("503");
        entry.GetProperty("payload").GetProperty("variables").GetProperty("decision").GetString().Should().Be("uphold");

        var (stillDown, _) = await WorkflowHttp.PostAsync(client, $"/workflow/parked/{operationId}/resume");
        stillDown.Should().Be(HttpStatusCode.ServiceUnavailable);

        await _world.Camunda.SwitchAsync(engineDown: false);
        var (resumed, outcome) = await WorkflowHttp.PostAsync(client, $"/workflow/parked/{operationId}/resume");
        var (again, repeat) = await WorkflowHttp.PostAsync(client, $"/workflow/parked/{operationId}/resume");
        var (retried, _) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/completion", new { variables = new { decision = "uphold" } });

        resumed.Should().Be(HttpStatusCode.OK);
        outcome.GetProperty("status").GetString().Should().Be("applied");
        again.Should().Be(HttpStatusCode.OK);
        repeat.GetProperty("status").GetString().Should().Be("alreadyapplied");
        retried.Should().Be(HttpStatusCode.NoContent, "the same completion is already applied under its idempotency key");
        var tasks = await _world.Camunda.SearchTasksAsync(new { processInstanceKey = instanceKey });
        tasks.EnumerateArray().Single().GetProperty("state").GetString().Should().Be("COMPLETED");
        var decisions = await Eventually.PollAsync(() => _world.Camunda.JobsAsync("atlas.apply-moderation-decision"), j => j.GetArrayLength() > 0);
        decisions.EnumerateArray().Count(j => j.GetProperty("processInstanceKey").GetString() == instanceKey).Should().Be(1, "the task was completed once");
        var (_, applied) = await WorkflowHttp.GetAsync(client, "/workflow/parked?state=applied");
        applied.EnumerateArray().Single(p => p.GetProperty("operationId").GetString() == operationId).GetProperty("attempts").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task The_bus_resume_answers_for_operators_only_and_discard_removes_parked_work()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world);
        await _world.Camunda.SwitchAsync(engineDown: true);
        var (status, parked) = await WorkflowHttp.StartProcessAsync(client, "atlas-onboarding", new { chatId = 5, userId = 5 }, "onboard-5");
        status.Should().Be(HttpStatusCode.Accepted);
        await _world.Camunda.SwitchAsync(engineDown: false);
        await using var bus = await TestBus.StartAsync(_world.Resources.RabbitMq);
        var requests = bus.Bus.CreateRequestClient<ResumeParkedOperation>(RequestTimeout.After(s: 30));

        var stranger = await requests.GetResponse<ParkedOperationResumed>(new ResumeParkedOperation("onboard-5", 1, 999));
        var resumed = await requests.GetResponse<ParkedOperationResumed>(new ResumeParkedOperation("onboard-5", 1, WorkflowWorld.OperatorUserId));
        var unknown = await requests.GetResponse<ParkedOperationResumed>(new ResumeParkedOperation("nothing-here", 1, WorkflowWorld.OperatorUserId));

        parked.GetProperty("operationId").GetString().Should().Be("onboard-5");
        stranger.Message.Resumed.Should().BeFalse();
        resumed.Message.Resumed.Should().BeTrue();
        unknown.Message.Resumed.Should().BeFalse();
        (await _world.Camunda.SearchInstancesAsync(new { businessId = "onboard-5" })).GetArrayLength().Should().Be(1);

        await _world.Camunda.SwitchAsync(engineDown: true);
        var (_, second) = await WorkflowHttp.StartProcessAsync(client, "atlas-onboarding", new { chatId = 6, userId = 6 }, "onboard-6");
        var (discarded, _) = await WorkflowHttp.DeleteAsync(client, "/workflow/parked/onboard-6");
        var (gone, _) = await WorkflowHttp.DeleteAsync(client, "/workflow/parked/onboard-6");
        await _world.Camunda.SwitchAsync(engineDown: false);
        var (replay, _) = await WorkflowHttp.StartProcessAsync(client, "atlas-onboarding", new { chatId = 6, userId = 6 }, "onboard-6");

        second.GetProperty("status").GetString().Should().Be("parked");
        discarded.Should().Be(HttpStatusCode.NoContent);
        gone.Should().Be(HttpStatusCode.NotFound);
        replay.Should().Be(HttpStatusCode.Conflict, "discarded work is not started by a repeat of the same request");
        (await _world.Camunda.SearchInstancesAsync(new { businessId = "onboard-6" })).GetArrayLength().Should().Be(0);
    }
}
