extern alias gateway;
using Atlas.Testing;
using Atlas.Workflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Atlas.Workflow.Tests.Support.OperatorBotWorld;
using TaskForms = gateway::Atlas.Gateway.Workflow.TaskForms;
using TextKeys = gateway::Atlas.Gateway.Locales.TextKeys;

namespace Atlas.Workflow.Tests.Operators;

/// <summary>
/// Operators work on Camunda through the bot: the real gateway polls the Sandbox's Telegram, the workflow service
/// talks to the Sandbox's Camunda, and the two meet on the real RabbitMQ.
/// </summary>
public sealed class OperatorsInTelegram : IAsyncLifetime
{
    private const long Alice = WorkflowWorld.OperatorUserId;
    private OperatorBotWorld _world = null!;

    public async Task InitializeAsync() => _world = await OperatorBotWorld.StartAsync(new Dictionary<string, string?>
    {
        // Automatic retry far away, so only an operator's resume applies parked work.
        ["Workflow:Parked:PollInterval"] = "00:10:00",
        ["Workflow:Parked:FirstRetryDelay"] = "00:10:00",
        ["Workflow:Parked:MaxRetryDelay"] = "00:10:00",
    });

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Tasks_then_Claim_then_Complete_with_a_form_answer_completes_the_task_in_Camunda_with_its_variables()
    {
        await using var service = await _world.StartServicesAsync();
        using var client = service.CreateClient();
        var (instanceKey, taskKey) = await StartAppealAsync(client, "appeal-form");

        await _world.SayAsync(Alice, "/tasks");
        var list = await _world.WaitForMessageAsync(Alice, m => m.Text.StartsWith(Text(TextKeys.TasksHeader), StringComparison.Ordinal));
        list.Text.Should().Contain($"1. Review appeal (Moderation appeal review, {taskKey})");
        list.Buttons.Select(b => b.Label).Should().Equal("Claim 1", "Unclaim 1", "Complete 1");

        var claim = await _world.PressAsync(Alice, list.MessageId, list.Data("Claim 1"));
        var claimed = await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.TaskClaimed, taskKey));
        (await _world.WaitForCallbackAnswerAsync(claim.CallbackQueryId)).Should().Be(claimed.Text, "the toast says what happened too");
        await Eventually.PollAsync(() => _world.Camunda.SearchTasksAsync(new { userTaskKey = taskKey }), t => t[0].GetProperty("assignee").GetString() == WorkflowWorld.OperatorName);

        await _world.PressAsync(Alice, list.MessageId, list.Data("Complete 1"));
        var prompt = await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.TaskFormPrompt, taskKey, 15));
        await _world.SayAsync(Alice, "decision uphold", replyTo: prompt.MessageId);
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.TaskFormBadLine, 1, "decision uphold") + " " + Text(TextKeys.TaskFormRetry));
        (await _world.Camunda.SearchTasksAsync(new { userTaskKey = taskKey }))[0].GetProperty("state").GetString().Should().Be("CREATED", "a malformed answer sends nothing");

        // A decision the review does not know would end it through its error path with nothing done: refused, form kept.
        await _world.SayAsync(Alice, "decision=Lift", replyTo: prompt.MessageId);
        var refused = await _world.WaitForMessageAsync(Alice, m => m.Text.StartsWith(Text(TextKeys.TaskFormInvalid, taskKey, ""), StringComparison.Ordinal));
        refused.Text.Should().Contain("decision = uphold or lift, not 'Lift'").And.EndWith(Text(TextKeys.TaskFormRetry));
        (await _world.Camunda.SearchTasksAsync(new { userTaskKey = taskKey }))[0].GetProperty("state").GetString().Should().Be("CREATED");
        (await _world.GatewayServices.GetRequiredService<TaskForms>().PendingAsync(Alice, CancellationToken.None)).Should().Be(taskKey, "the form stays open for the corrected answer");

        await _world.SayAsync(Alice, "decision=uphold\nnote = checked twice\nseverity=2", replyTo: prompt.MessageId);
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.TaskCompleted, taskKey));

        var task = (await _world.Camunda.SearchTasksAsync(new { userTaskKey = taskKey }))[0];
        task.GetProperty("state").GetString().Should().Be("COMPLETED");
        var variables = (await _world.Camunda.InstanceAsync(instanceKey)).GetProperty("variables");
        variables.GetProperty("decision").GetString().Should().Be("uphold");
        variables.GetProperty("note").GetString().Should().Be("checked twice");
        variables.GetProperty("severity").GetInt32().Should().Be(2);

        (await _world.GatewayServices.GetRequiredService<TaskForms>().PendingAsync(Alice, CancellationToken.None)).Should().BeNull("the form closed once the completion reached Workflow");
    }

    [Fact]
    public async Task Work_parked_during_an_outage_is_listed_by_tasks_parked_and_applied_once_by_Resume_all_and_not_again_by_Resume()
    {
        await using var service = await _world.StartServicesAsync();
        using var client = service.CreateClient();
        var (instanceKey, taskKey) = await StartAppealAsync(client, "appeal-parked");
        await _world.SayAsync(Alice, "/tasks");
        var list = await _world.WaitForMessageAsync(Alice, m => m.Text.StartsWith(Text(TextKeys.TasksHeader), StringComparison.Ordinal));
        await _world.PressAsync(Alice, list.MessageId, list.Data("Complete 1"));
        var prompt = await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.TaskFormPrompt, taskKey, 15));

        await _world.Camunda.SwitchAsync(engineDown: true);
        await _world.SayAsync(Alice, "decision=uphold", replyTo: prompt.MessageId);
        var operationId = $"complete:{taskKey}";
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.WorkParked, operationId));
        await _world.SayAsync(Alice, "/workflow start atlas-onboarding userId=42 chatId=42");
        await _world.WaitForMessageAsync(Alice, m => m.Text.StartsWith(TextBefore(TextKeys.WorkflowStartParked, "atlas-onboarding") + "telegram-start:tg:", StringComparison.Ordinal));

        await _world.SayAsync(Alice, "/tasks parked");
        var parked = await _world.WaitForMessageAsync(Alice, m => m.Text.StartsWith(Text(TextKeys.ParkedHeader), StringComparison.Ordinal));
        parked.Text.Should().Contain($"1. {operationId} (complete-user-task): attempts 1, waiting 00:00:").And.Contain("last error: ").And.Contain("503");
        parked.Text.Should().Contain("2. telegram-start:tg:").And.Contain("(create-process-instance)");
        parked.Buttons.Select(b => b.Label).Should().Equal("Resume 1", "Resume 2", "Resume all");

        await _world.PressAsync(Alice, parked.MessageId, parked.Data("Resume 1"));
        await _world.WaitForMessageAsync(Alice, m => m.Text.StartsWith(TextBefore(TextKeys.ParkedStillWaiting, operationId), StringComparison.Ordinal));

        var startId = parked.Text.Split('\n')[2].Split(' ')[1];
        await _world.Camunda.SwitchAsync(engineDown: false);
        await _world.PressAsync(Alice, parked.MessageId, parked.Data("Resume all"));
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.ParkedAllResumed, 2, 0, 0));
        await _world.PressAsync(Alice, parked.MessageId, parked.Data("Resume 1"));
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.ParkedAlreadyApplied, operationId));
        await _world.SayAsync(Alice, $"/resume {startId}");
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.ParkedAlreadyApplied, startId));
        await _world.SayAsync(Alice, "/resume nothing-here");
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.ParkedNotFound, "nothing-here"));

        (await _world.Camunda.SearchTasksAsync(new { userTaskKey = taskKey }))[0].GetProperty("state").GetString().Should().Be("COMPLETED");
        var decisions = await Eventually.PollAsync(() => _world.Camunda.JobsAsync("atlas.apply-moderation-decision"), j => j.GetArrayLength() > 0);
        decisions.EnumerateArray().Count(j => j.GetProperty("processInstanceKey").GetString() == instanceKey).Should().Be(1, "the task was completed once");
        (await _world.Camunda.SearchInstancesAsync(new { processDefinitionId = "atlas-onboarding" })).GetArrayLength().Should().Be(1, "Resume all started the parked instance once");
        await _world.SayAsync(Alice, "/tasks parked");
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.ParkedNone));
    }

    [Fact]
    public async Task A_member_answers_the_onboarding_with_consent_in_the_private_chat_and_is_welcomed()
    {
        await using var service = await _world.StartServicesAsync();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world.Workflow);
        const long Member = 5150;

        await _world.SayAsync(Member, "/consent");
        await _world.WaitForMessageAsync(Member, m => m.Text == Text(TextKeys.ConsentNothingWaiting));

        // Started with the member only, as /workflow's usage shows: the request goes to their private chat.
        var (_, started) = await WorkflowHttp.StartProcessAsync(client, "atlas-onboarding", new { userId = Member });
        var key = started.GetProperty("result").GetProperty("processInstanceKey").GetString()!;
        await _world.WaitForMessageAsync(Member, m => m.Text == "Please reply /consent to accept the community rules.");
        await _world.SayAsync(Member, "/consent perhaps");
        await _world.WaitForMessageAsync(Member, m => m.Text == Text(TextKeys.ConsentUsage));
        await _world.SayAsync(Member, "/consent");
        await _world.WaitForMessageAsync(Member, m => m.Text == Text(TextKeys.ConsentAccepted));
        await _world.WaitForMessageAsync(Member, m => m.Text == "Thank you, welcome!");

        var instance = await Eventually.PollAsync(() => _world.Camunda.InstanceAsync(key), i => i.GetProperty("state").GetString() == "COMPLETED");
        instance.GetProperty("variables").GetProperty("consent").GetBoolean().Should().BeTrue();
        instance.GetProperty("hasIncident").GetBoolean().Should().BeFalse();
        await using var connection = new Npgsql.NpgsqlConnection(_world.Workflow.Resources.Database);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand($"SELECT consented FROM consents WHERE user_id = {Member}", connection);
        ((bool)(await query.ExecuteScalarAsync())!).Should().BeTrue();
        (await _world.MessagesAsync(WorkflowWorld.ModeratorChatId)).Should().BeEmpty("a /consent with nothing waiting is the member's to hear, not the moderators'");
    }

    [Fact]
    public async Task Workflow_start_creates_an_instance_and_bad_input_gets_a_polite_answer()
    {
        await using var service = await _world.StartServicesAsync();

        await _world.SayAsync(Alice, "/workflow start atlas-onboarding userId=42 chatId=42 nickname=ann");
        var prefix = TextBefore(TextKeys.WorkflowStarted, "atlas-onboarding");
        var started = await _world.WaitForMessageAsync(Alice, m => m.Text.StartsWith(prefix, StringComparison.Ordinal));
        var instanceKey = started.Text[prefix.Length..^1];
        var instance = await _world.Camunda.InstanceAsync(instanceKey);
        instance.GetProperty("processDefinitionId").GetString().Should().Be("atlas-onboarding");
        instance.GetProperty("variables").GetProperty("userId").GetInt64().Should().Be(42);
        instance.GetProperty("variables").GetProperty("nickname").GetString().Should().Be("ann");

        await _world.SayAsync(Alice, "/workflow start no-such-process");
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.WorkflowUnknownProcess, "no-such-process", "atlas-onboarding, atlas-appeal-review"));
        await _world.SayAsync(Alice, "/workflow start atlas-onboarding 1x=3");
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.VariableBadName, "1x") + "\n" + Text(TextKeys.WorkflowUsage));
        await _world.SayAsync(Alice, "/workflow");
        await _world.WaitForMessageAsync(Alice, m => m.Text == Text(TextKeys.WorkflowUsage));
        (await _world.Camunda.SearchInstancesAsync(new { processDefinitionId = "atlas-onboarding" })).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Non_operators_are_refused_politely_and_only_admins_start_processes()
    {
        await using var service = await _world.StartServicesAsync();
        const long stranger = StrangerUserId;

        await _world.SayAsync(stranger, "/tasks");
        await _world.WaitForMessageAsync(stranger, m => m.Text == Text(TextKeys.TasksNone));
        await _world.SayAsync(stranger, "/tasks parked");
        await _world.WaitForMessageAsync(stranger, m => m.Text == Text(TextKeys.WorkflowNotOperator));
        await _world.SayAsync(stranger, "/resume complete:1");
        await _world.WaitForMessageAsync(stranger, m => m.Text == Text(TextKeys.WorkflowNotOperator));
        await _world.SayAsync(stranger, "/workflow start atlas-onboarding");
        await _world.WaitForMessageAsync(stranger, m => m.Text == Text(TextKeys.WorkflowNotAdmin));
        var tasks = await _world.WaitForMessageAsync(stranger, m => m.Text == Text(TextKeys.TasksNone));
        var press = await _world.PressAsync(stranger, tasks.MessageId, "wf:c:2251799813685249");
        (await _world.WaitForCallbackAnswerAsync(press.CallbackQueryId)).Should().Be(Text(TextKeys.WorkflowNotOperator));
        await _world.SayAsync(OperatorBotWorld.BobUserId, "/workflow start atlas-onboarding");
        await _world.WaitForMessageAsync(OperatorBotWorld.BobUserId, m => m.Text == Text(TextKeys.WorkflowNotAdmin));
        await _world.SayAsync(OperatorBotWorld.BobUserId, "/tasks parked");
        await _world.WaitForMessageAsync(OperatorBotWorld.BobUserId, m => m.Text == Text(TextKeys.ParkedNone));

        (await _world.Camunda.SearchInstancesAsync(new { processDefinitionId = "atlas-onboarding" })).GetArrayLength().Should().Be(0);
    }

    private async Task<(string InstanceKey, string TaskKey)> StartAppealAsync(HttpClient client, string appealId)
    {
        var (_, started) = await WorkflowHttp.StartProcessAsync(client, "atlas-appeal-review", new { chatId = -1001, userId = 88, appealId });
        var instanceKey = started.GetProperty("result").GetProperty("processInstanceKey").GetString()!;
        var task = await WorkflowHttp.WaitUserTaskAsync(_world.Workflow, instanceKey);
        return (instanceKey, task.GetProperty("userTaskKey").GetString()!);
    }
}
