using Atlas.AppHost;
using Atlas.AppHost.Chaos;

namespace Atlas.IntegrationTests;

/// <summary>The <c>chaos</c> verb on the AppHost command line and the drills' dashboard commands in the model, without starting anything.</summary>
public sealed class ChaosOptionsTests : IDisposable
{
    private readonly string _dataRoot = Directory.CreateTempSubdirectory("atlas-model-").FullName;

    [Fact]
    public void Chaos_with_a_scenario_and_seconds_runs_in_an_ephemeral_stack_without_a_dashboard()
    {
        var options = AtlasOptions.Parse(["chaos", "redis-down", "--seconds", "12", "--ConnectionStrings:x=y"], out var error);

        error.Should().BeNull();
        options.Chaos.Should().Be(new ChaosScenario(ChaosScenario.RedisDown, null, TimeSpan.FromSeconds(12)));
        options.Persistent.Should().BeFalse("a drill never runs in the developer's data folder");
        options.NoDashboard.Should().BeTrue();
        options.AspireArgs.Should().Equal("--ConnectionStrings:x=y");
        Directory.Delete(options.DataRoot);
    }

    [Fact]
    public void Chaos_kill_names_the_service()
    {
        var options = AtlasOptions.Parse(["chaos", "kill", "llmrouter"], out var error);

        error.Should().BeNull();
        options.Chaos.Should().Be(new ChaosScenario(ChaosScenario.Kill, "llmrouter", ChaosScenario.DefaultDuration));
        Directory.Delete(options.DataRoot);
    }

    [Theory]
    [InlineData(new[] { "chaos" }, "chaos needs a scenario: rabbitmq-crash, redis-down, postgres-restart, kill, llm-down, camunda-down, telegram-429, telegram-5xx.")]
    [InlineData(new[] { "chaos", "flood" }, "chaos needs a scenario:")]
    [InlineData(new[] { "chaos", "kill", "sandbox" }, "chaos kill needs a service: gateway, moderation, llmrouter, workflow, backup.")]
    [InlineData(new[] { "chaos", "llm-down", "--seconds", "0" }, "--seconds must be between 1 and 3600.")]
    [InlineData(new[] { "chaos", "llm-down", "--seconds", "soon" }, "--seconds must be between 1 and 3600.")]
    public void A_bad_chaos_command_line_is_refused_with_the_reason_and_the_usage(string[] args, string reason)
    {
        var options = AtlasOptions.Parse(args, out var error);

        error.Should().StartWith(reason).And.Contain(AtlasOptions.Usage);
        options.Chaos.Should().BeNull();
    }

    [Fact]
    public async Task Every_drill_is_a_dashboard_command_on_the_resource_it_breaks()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(["--data", _dataRoot, "--ephemeral"]);

        var commands = builder.Resources
            .SelectMany(r => r.Annotations.OfType<ResourceCommandAnnotation>().Where(c => c.Name.StartsWith("chaos-", StringComparison.Ordinal)).Select(c => (r.Name, c.Name, c.DisplayName)))
            .ToList();

        commands.Should().BeEquivalentTo(new[]
        {
            ("redis", "chaos-redis-down", "Chaos: Redis down"),
            ("postgres", "chaos-postgres-restart", "Chaos: PostgreSQL restart"),
            ("rabbitmq", "chaos-rabbitmq-crash", "Chaos: RabbitMQ crash and restart"),
            ("gateway", "chaos-kill", "Chaos: kill -9"),
            ("moderation", "chaos-kill", "Chaos: kill -9"),
            ("llmrouter", "chaos-kill", "Chaos: kill -9"),
            ("workflow", "chaos-kill", "Chaos: kill -9"),
            ("backup", "chaos-kill", "Chaos: kill -9"),
            ("sandbox", "chaos-llm-down", "Chaos: all LLM providers down"),
            ("sandbox", "chaos-camunda-down", "Chaos: Camunda down"),
            ("sandbox", "chaos-telegram-429", "Chaos: Telegram answers 429"),
            ("sandbox", "chaos-telegram-5xx", "Chaos: Telegram answers 5xx"),
        });
    }

    [Fact]
    public async Task With_a_real_Telegram_bot_token_there_is_no_Sandbox_and_no_drill_command()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(
            ["--data", _dataRoot, "--ephemeral", "--Parameters:telegram-bot-token=123:abc", "--Camunda:RestAddress=http://camunda.invalid/", "--LlmRouter:Ollama:BaseUrl=http://ollama.invalid/", "--Moderation:Cas:BaseUrl=http://cas.invalid/"]);

        builder.Resources.SelectMany(r => r.Annotations.OfType<ResourceCommandAnnotation>()).Should().NotContain(c => c.Name.StartsWith("chaos-", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_dataRoot, recursive: true);
}
