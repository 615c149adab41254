using Atlas.AppHost.Chaos;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Atlas.IntegrationTests;

/// <summary>
/// The chaos drills on the shared stack, on a shortened schedule (a few seconds of fault each): users keep writing to
/// the bot through the Sandbox while Redis, the gateway, the LLM providers, Telegram or RabbitMQ fail, and no message
/// is lost or answered twice. Each drill leaves the stack running and healthy again, so the other stack tests are not
/// disturbed (xUnit runs the tests of one collection one after another).
/// </summary>
[Collection("stack")]
public sealed class ChaosDrillTests(RunningAtlas stack, ITestOutputHelper output)
{
    [Fact]
    public async Task Redis_down_for_a_few_seconds_loses_no_message()
    {
        var report = await DrillAsync(ChaosScenario.RedisDown);

        ShouldHaveRecoveredWithoutLoss(report);
    }

    [Fact]
    public async Task A_gateway_killed_with_sigkill_is_restarted_and_loses_no_message()
    {
        var report = await DrillAsync(ChaosScenario.Kill, "gateway");

        ShouldHaveRecoveredWithoutLoss(report);
        report.Steps.Should().Contain(s => s.StartsWith("gateway: SIGKILL to ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_every_LLM_provider_down_users_get_the_polite_degraded_answer_and_nothing_is_lost()
    {
        // Long enough that questions asked while it lasts reach LlmRouter before it ends, on a loaded machine too.
        var report = await DrillAsync(ChaosScenario.LlmDown, seconds: 8);

        ShouldHaveRecoveredWithoutLoss(report);
        report.DegradedUsers.Should().BeGreaterThan(0, "questions asked while no provider answers get the apology or a rule-based answer from the knowledge base");
    }

    [Fact]
    public async Task Telegram_answering_429_delays_answers_but_loses_none()
    {
        var report = await DrillAsync(ChaosScenario.Telegram429);

        ShouldHaveRecoveredWithoutLoss(report);
        report.SlowestAnswer.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2), "answers wait out retry_after while Telegram says 429");
    }

    [Fact]
    public async Task Telegram_answering_5xx_delays_answers_but_loses_none()
    {
        var report = await DrillAsync(ChaosScenario.Telegram5xx);

        ShouldHaveRecoveredWithoutLoss(report);
        report.Steps.Should().Contain("sandbox: sendMessage answers 502");
    }

    [Fact]
    public async Task A_PostgreSQL_restart_loses_no_message()
    {
        var report = await DrillAsync(ChaosScenario.PostgresRestart);

        ShouldHaveRecoveredWithoutLoss(report);
        report.Steps.Should().Contain(s => s.StartsWith("postgres: fast shutdown", StringComparison.Ordinal)).And.Contain("postgres: started");
    }

    [Fact]
    public async Task A_RabbitMQ_crash_and_restart_loses_no_message()
    {
        var report = await DrillAsync(ChaosScenario.RabbitMqCrash);

        ShouldHaveRecoveredWithoutLoss(report);
    }

    [Fact]
    public async Task The_Camunda_down_drill_runs_as_a_dashboard_command_and_reports_its_figures()
    {
        var result = await stack.App.ResourceCommands.ExecuteCommandAsync("sandbox", "chaos-camunda-down");

        output.WriteLine(result.Message);
        result.Success.Should().BeTrue(result.Message);
        result.Message.Should().MatchRegex(@"^PASS: recovery \d+\.\d s, sent [1-9]\d*, lost 0, twice 0, degraded users \d+, slowest \d+\.\d s$");
        (await ConsoleLinesAsync("sandbox")).Should().Contain(l => l.Contains("chaos camunda-down: lost        0", StringComparison.Ordinal))
            .And.Contain(l => l.Contains("chaos camunda-down: result      PASS", StringComparison.Ordinal), "the report goes to the resource's console log");
    }

    private async Task<List<string>> ConsoleLinesAsync(string resource)
    {
        stack.App.ResourceNotifications.TryGetCurrentState(resource, out var state).Should().BeTrue();
        var lines = new List<string>();
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var batch in stack.App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(state!.ResourceId).WithCancellation(quiet.Token))
            {
                lines.AddRange(batch.Select(l => l.Content));
            }
        }
        catch (OperationCanceledException)
        {
            // The backlog comes first; three seconds is all this waits for.
        }

        return lines;
    }

    private async Task<ChaosReport> DrillAsync(string name, string? service = null, int seconds = 4)
    {
        var scenario = new ChaosScenario(name, service, TimeSpan.FromSeconds(seconds))
        {
            WarmUp = TimeSpan.FromSeconds(2),
            MessageInterval = TimeSpan.FromMilliseconds(600),
            Tail = TimeSpan.FromSeconds(3),
            Grace = TimeSpan.FromSeconds(60),
            RecoveryLimit = TimeSpan.FromMinutes(2),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var report = await new ChaosDrill(stack.App.Services, scenario, output.WriteLine).RunAsync(timeout.Token);
        return report;
    }

    private static void ShouldHaveRecoveredWithoutLoss(ChaosReport report)
    {
        report.Error.Should().BeNull();
        report.Sent.Should().BeGreaterThan(5, "users kept writing before, during and after the fault");
        report.Lost.Should().Be(0, "every message is answered by the end of the grace period");
        report.HandledTwice.Should().Be(0, "no message is answered twice");
        report.Recovery.Should().NotBeNull().And.BeLessThan(TimeSpan.FromMinutes(2));
        report.Passed.Should().BeTrue();
    }
}
