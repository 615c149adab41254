using System.Net;
using System.Text.Json.Nodes;
using Atlas.Contracts.Moderation;
using Atlas.Contracts.Workflow;
using Atlas.Testing;
using Atlas.Workflow.Consumers;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Workflow.Tests.Operators;

/// <summary>
/// Operators' user tasks: an appeal from Moderation (StartAppealReview) becomes a moderators' task, the gateway's
/// /tasks request lists it for the operator, and the operator claims and completes it.
/// </summary>
public sealed class OperatorTasks : IAsyncLifetime
{
    private WorkflowWorld _world = null!;

    public async Task InitializeAsync() => _world = await WorkflowWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task An_appeal_from_moderation_reaches_a_moderators_user_task_once_even_when_redelivered()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world);
        await using var bus = await TestBus.StartAsync(_world.Resources.RabbitMq);
        var appeal = new StartAppealReview(Guid.NewGuid(), -1001, 77, "member", "I was muted by mistake", "Restrict", DateTimeOffset.UtcNow);

        await bus.Bus.Publish(appeal);
        await bus.Bus.Publish(appeal);

        var instances = await Eventually.PollAsync(() => _world.Camunda.SearchInstancesAsync(new { businessId = $"appeal:{appeal.AppealId}" }), i => i.GetArrayLength() == 1);
        var key = instances[0].GetProperty("processInstanceKey").GetString()!;
        var task = await WorkflowHttp.WaitUserTaskAsync(_world, key);
        task.GetProperty("name").GetString().Should().Be("Review appeal");
        task.GetProperty("candidateGroups").EnumerateArray().Select(g => g.GetString()).Should().Equal("moderators");
        var variables = (await _world.Camunda.InstanceAsync(key)).GetProperty("variables");
        variables.GetProperty("reason").GetString().Should().Be("I was muted by mistake");
        variables.GetProperty("userId").GetInt64().Should().Be(77);
        (await _world.Camunda.SearchInstancesAsync(new { businessId = $"appeal:{appeal.AppealId}" })).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Lifting_an_appeal_against_a_mute_unrestricts_the_member_and_tells_moderation_the_decision()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world);
        await using var bus = await TestBus.StartAsync(_world.Resources.RabbitMq);
        var actions = new System.Collections.Concurrent.ConcurrentQueue<ModerationActionRequested>();
        var reviewed = new System.Collections.Concurrent.ConcurrentQueue<AppealReviewed>();
        var handle = bus.Bus.ConnectReceiveEndpoint($"workflow-tests-appeal-outcome-{Guid.NewGuid():N}", e =>
        {
            // One at a time: the lift is published (and confirmed) before the decision, so it is handled first.
            e.ConcurrentMessageLimit = 1;
            e.Handler<ModerationActionRequested>(c => { actions.Enqueue(c.Message); return Task.CompletedTask; });
            e.Handler<AppealReviewed>(c => { reviewed.Enqueue(c.Message); return Task.CompletedTask; });
        });
        await handle.Ready;
        var appeal = new StartAppealReview(Guid.NewGuid(), -1002, 79, null, "I was muted by mistake", "Restrict", DateTimeOffset.UtcNow);

        await bus.Bus.Publish(appeal);
        var instances = await Eventually.PollAsync(() => _world.Camunda.SearchInstancesAsync(new { businessId = $"appeal:{appeal.AppealId}" }), i => i.GetArrayLength() == 1);
        var task = await WorkflowHttp.WaitUserTaskAsync(_world, instances[0].GetProperty("processInstanceKey").GetString()!);
        var taskKey = task.GetProperty("userTaskKey").GetString()!;
        await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/assignment", new { assignee = "alice" });
        var (completed, _) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/completion", new { variables = new { decision = "lift" } });
        var decision = (await Eventually.PollAsync(() => Task.FromResult(reviewed.ToArray()), r => r.Length > 0)).Single();

        completed.Should().Be(HttpStatusCode.NoContent);
        var lift = actions.Should().ContainSingle().Subject;
        (lift.Action, lift.ChatId, lift.UserId).Should().Be((ModerationAction.Unrestrict, -1002, 79), "the appeal was against a mute, not a ban");
        (decision.AppealId, decision.Decision, decision.LiftActionId).Should().Be((appeal.AppealId, "lift", lift.ActionId));
        await handle.StopAsync();
    }

    [Fact]
    public async Task An_appeal_an_admin_settled_first_has_its_review_withdrawn_and_one_not_started_yet_never_starts()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world);
        await using var bus = await TestBus.StartAsync(_world.Resources.RabbitMq);
        var appeal = new StartAppealReview(Guid.NewGuid(), -1003, 80, null, "sorry", "Ban", DateTimeOffset.UtcNow);
        await bus.Bus.Publish(appeal);
        var instances = await Eventually.PollAsync(() => _world.Camunda.SearchInstancesAsync(new { businessId = $"appeal:{appeal.AppealId}" }), i => i.GetArrayLength() == 1);
        var key = instances[0].GetProperty("processInstanceKey").GetString()!;
        var task = await WorkflowHttp.WaitUserTaskAsync(_world, key);

        // The admin's /resolve reached Moderation first (twice: a redelivery).
        var settled = new CancelAppealReview(appeal.AppealId, -1003, "accepted", DateTimeOffset.UtcNow);
        await bus.Bus.Publish(settled);
        await bus.Bus.Publish(settled);
        var ended = await Eventually.PollAsync(() => _world.Camunda.InstanceAsync(key), i => i.GetProperty("state").GetString() != "ACTIVE");
        ended.GetProperty("state").GetString().Should().Be("TERMINATED");
        (await _world.Camunda.SearchTasksAsync(new { processInstanceKey = key, state = "CREATED" })).GetArrayLength().Should().Be(0, "the moderators' task went with it");
        var (completed, _) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{task.GetProperty("userTaskKey").GetString()}/completion", new { variables = new { decision = "lift" } });
        completed.Should().NotBe(HttpStatusCode.NoContent, "a withdrawn review can no longer be decided");

        // Settled before its review started (the start still on its way): the start, when it comes, starts nothing.
        var early = new StartAppealReview(Guid.NewGuid(), -1003, 81, null, "not me", "Ban", DateTimeOffset.UtcNow);
        await bus.Bus.Publish(new CancelAppealReview(early.AppealId, -1003, "rejected", DateTimeOffset.UtcNow));
        var (_, discarded) = await Eventually.PollAsync(
            () => WorkflowHttp.GetAsync(client, "/workflow/parked?state=discarded"),
            r => r.Body.EnumerateArray().Any(o => o.GetProperty("operationId").GetString() == $"appeal:{early.AppealId}"));
        discarded.EnumerateArray().Single(o => o.GetProperty("operationId").GetString() == $"appeal:{early.AppealId}")
            .GetProperty("lastError").GetString().Should().Be("the appeal was rejected by a chat admin");
        var start = new EngineOperation(StartAppealReviewConsumer.OperationId(early.AppealId), OperationKinds.CreateProcessInstance,
            new JsonObject { ["processDefinitionId"] = "atlas-appeal-review" }, -1003);
        var outcome = await service.Services.GetRequiredService<WorkflowEngine>().ExecuteAsync(start, CancellationToken.None);
        outcome.Status.Should().Be(OperationStatus.Discarded);
        (await _world.Camunda.SearchInstancesAsync(new { businessId = $"appeal:{early.AppealId}" })).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Tasks_lists_the_operators_tasks_and_claim_then_complete_finishes_the_appeal()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world);
        await _world.Camunda.SettingsAsync(searchLagMs: 300);
        await using var bus = await TestBus.StartAsync(_world.Resources.RabbitMq);
        var (_, started) = await WorkflowHttp.StartProcessAsync(client, "atlas-appeal-review", new { chatId = -1001, userId = 88, appealId = "appeal-88" });
        var key = started.GetProperty("result").GetProperty("processInstanceKey").GetString()!;
        var tasks = bus.Bus.CreateRequestClient<UserTasksRequested>(RequestTimeout.After(s: 30));

        var listed = await Eventually.PollAsync(
            async () => (await tasks.GetResponse<UserTaskList>(new UserTasksRequested(1, WorkflowWorld.OperatorUserId, "alice"))).Message.Tasks,
            l => l.Count == 1);
        var stranger = (await tasks.GetResponse<UserTaskList>(new UserTasksRequested(2, 4040, "mallory"))).Message.Tasks;

        listed[0].Name.Should().Be("Review appeal");
        listed[0].ProcessName.Should().Be("Moderation appeal review");
        listed[0].Assignee.Should().BeNull();
        stranger.Should().BeEmpty("only configured operators see tasks");

        var taskKey = listed[0].TaskKey;
        var (claimed, claimedTask) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/assignment", new { assignee = "alice" });
        var (_, mine) = await Eventually.PollAsync(() => WorkflowHttp.GetAsync(client, "/workflow/user-tasks?assignee=alice"), r => r.Body.GetProperty("items").GetArrayLength() == 1);
        var (taken, problem) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/assignment", new { assignee = "bob" });

        claimed.Should().Be(HttpStatusCode.OK);
        claimedTask.GetProperty("assignee").GetString().Should().Be("alice", "the answer waits until the search index shows the claim");
        mine.GetProperty("items")[0].GetProperty("userTaskKey").GetString().Should().Be(taskKey);
        taken.Should().Be(HttpStatusCode.Conflict);
        problem.GetProperty("title").GetString().Should().Be("INVALID_STATE");

        var (unclaimed, _) = await WorkflowHttp.DeleteAsync(client, $"/workflow/user-tasks/{taskKey}/assignee");
        var (reclaimed, _) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/assignment", new { assignee = "alice" });
        var (completed, _) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/completion", new { variables = new { decision = "lift" } });
        var instance = await Eventually.PollAsync(() => _world.Camunda.InstanceAsync(key), i => i.GetProperty("state").GetString() == "COMPLETED");

        unclaimed.Should().Be(HttpStatusCode.NoContent);
        reclaimed.Should().Be(HttpStatusCode.OK);
        completed.Should().Be(HttpStatusCode.NoContent);
        instance.GetProperty("variables").GetProperty("decisionApplied").GetString().Should().Be("lift");
        instance.GetProperty("variables").GetProperty("messageSent").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task An_appeal_review_completed_without_a_decision_it_knows_is_refused_and_stays_open_for_one_it_does()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world);
        var (_, started) = await WorkflowHttp.StartProcessAsync(client, "atlas-appeal-review", new { chatId = -1003, userId = 90, appealId = "appeal-90" });
        var key = started.GetProperty("result").GetProperty("processInstanceKey").GetString()!;
        var taskKey = (await WorkflowHttp.WaitUserTaskAsync(_world, key)).GetProperty("userTaskKey").GetString()!;

        var (unknown, unknownProblem) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/completion", new { variables = new { decision = "maybe" } });
        var (none, noneProblem) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/completion", new { });
        var (typed, typedProblem) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/completion", new { variables = new { decision = 1 } });

        unknown.Should().Be(HttpStatusCode.BadRequest);
        unknownProblem.GetProperty("title").GetString().Should().Be("INVALID_VARIABLES");
        unknownProblem.GetProperty("detail").GetString().Should().Be("'Review appeal' needs decision = uphold or lift, not 'maybe'.");
        none.Should().Be(HttpStatusCode.BadRequest);
        noneProblem.GetProperty("detail").GetString().Should().Contain("no decision was given");
        typed.Should().Be(HttpStatusCode.BadRequest);
        typedProblem.GetProperty("detail").GetString().Should().Contain("not '1'");
        var instance = await _world.Camunda.InstanceAsync(key);
        instance.GetProperty("state").GetString().Should().Be("ACTIVE", "nothing reached the engine");
        (await _world.Camunda.SearchTasksAsync(new { userTaskKey = taskKey }))[0].GetProperty("state").GetString().Should().Be("CREATED");

        var (completed, _) = await WorkflowHttp.PostAsync(client, $"/workflow/user-tasks/{taskKey}/completion", new { variables = new { decision = "uphold" } });
        var done = await Eventually.PollAsync(() => _world.Camunda.InstanceAsync(key), i => i.GetProperty("state").GetString() == "COMPLETED");

        completed.Should().Be(HttpStatusCode.NoContent, "the refusals recorded nothing under the completion's key");
        done.GetProperty("variables").GetProperty("decisionApplied").GetString().Should().Be("uphold");
    }

    [Fact]
    public async Task The_task_search_says_which_states_limits_and_pages_it_takes()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();

        var (lower, _) = await WorkflowHttp.GetAsync(client, "/workflow/user-tasks?state=completed");
        var (unknown, unknownProblem) = await WorkflowHttp.GetAsync(client, "/workflow/user-tasks?state=OPEN");
        var (zero, zeroProblem) = await WorkflowHttp.GetAsync(client, "/workflow/user-tasks?limit=0");
        var (tooMany, _) = await WorkflowHttp.GetAsync(client, "/workflow/user-tasks?limit=501");
        var (negative, _) = await WorkflowHttp.GetAsync(client, "/workflow/user-tasks?from=-1");
        var (both, bothProblem) = await WorkflowHttp.GetAsync(client, "/workflow/user-tasks?from=0&after=b2Zmc2V0OjA%3D");
        var (word, wordProblem) = await WorkflowHttp.GetAsync(client, "/workflow/user-tasks?limit=ten");

        lower.Should().Be(HttpStatusCode.OK, "a state is taken in any case");
        unknown.Should().Be(HttpStatusCode.BadRequest);
        unknownProblem.GetProperty("detail").GetString().Should().Contain("CREATED").And.Contain("CANCELED").And.Contain("'OPEN'");
        zero.Should().Be(HttpStatusCode.BadRequest);
        zeroProblem.GetProperty("detail").GetString().Should().Contain("1 to 500");
        tooMany.Should().Be(HttpStatusCode.BadRequest);
        negative.Should().Be(HttpStatusCode.BadRequest);
        both.Should().Be(HttpStatusCode.BadRequest);
        bothProblem.GetProperty("detail").GetString().Should().Contain("not both");
        word.Should().Be(HttpStatusCode.BadRequest);
        wordProblem.GetProperty("detail").GetString().Should().Be("limit: 'ten' is not a whole number.");
    }

    [Fact]
    public async Task Bad_requests_get_problem_details_and_an_unknown_task_gets_the_engines_404()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();

        var (noProcess, missing) = await WorkflowHttp.PostAsync(client, "/workflow/process-instances", new { variables = new { a = 1 } });
        var (noAssignee, _) = await WorkflowHttp.PostAsync(client, "/workflow/user-tasks/123/assignment", new { });
        var (unknownTask, notFound) = await WorkflowHttp.PostAsync(client, "/workflow/user-tasks/999999/completion", new { });
        var (unknownProcess, noDefinition) = await WorkflowHttp.StartProcessAsync(client, "no-such-process");
        var (badState, _) = await WorkflowHttp.GetAsync(client, "/workflow/parked?state=bogus");
        // PostgreSQL keeps no U+0000: such a start could be applied but not parked (a 500 while Camunda was away), so neither.
        var (nul, nulProblem) = await WorkflowHttp.StartProcessAsync(client, "atlas-onboarding", new { userId = 5, note = "a\0b" });
        await _world.Camunda.SwitchAsync(engineDown: true);
        var (nulWhileDown, _) = await WorkflowHttp.StartProcessAsync(client, "atlas-onboarding", new { userId = 5, note = "a\0b" });
        await _world.Camunda.SwitchAsync(engineDown: false);

        noProcess.Should().Be(HttpStatusCode.BadRequest);
        missing.GetProperty("detail").GetString().Should().Contain("atlas-appeal-review");
        noAssignee.Should().Be(HttpStatusCode.BadRequest);
        unknownTask.Should().Be(HttpStatusCode.NotFound);
        notFound.GetProperty("title").GetString().Should().Be("NOT_FOUND");
        unknownProcess.Should().Be(HttpStatusCode.NotFound);
        noDefinition.GetProperty("detail").GetString().Should().Contain("no-such-process");
        badState.Should().Be(HttpStatusCode.BadRequest);
        nul.Should().Be(HttpStatusCode.BadRequest);
        nulProblem.GetProperty("detail").GetString().Should().Contain("NUL character");
        nulWhileDown.Should().Be(HttpStatusCode.BadRequest);
        (await WorkflowHttp.GetAsync(client, "/workflow/parked?state=parked")).Body.GetArrayLength().Should().Be(0);
    }
}
