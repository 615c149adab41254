using Atlas.AppHost.Ops;
using Microsoft.Extensions.Configuration;

namespace Atlas.IntegrationTests;

/// <summary>The ops verbs without a stack: command-line parsing, the playbook's order and state file, the metrics text, the ops-chat update.</summary>
public sealed class OpsVerbsTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("atlas-ops-").FullName;

    [Theory]
    [InlineData("smoke", OpsVerb.Smoke)]
    [InlineData("upgrade prepare", OpsVerb.Prepare)]
    [InlineData("upgrade verify", OpsVerb.Verify)]
    [InlineData("upgrade resume", OpsVerb.Resume)]
    public void Parses_each_verb_with_the_data_folder(string verb, OpsVerb expected)
    {
        OpsCommandLine.TryParse([.. verb.Split(' '), "--data", _data], out var invocation, out var error).Should().BeTrue();

        error.Should().BeNull();
        invocation!.Verb.Should().Be(expected);
        invocation.DataRoot.Should().Be(Path.GetFullPath(_data));
        invocation.Force.Should().BeFalse();
        invocation.StepTimeout.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Takes_force_and_a_step_timeout()
    {
        OpsCommandLine.TryParse(["upgrade", "resume", "--force", "--step-timeout", "12.5", "--data", _data], out var invocation, out _).Should().BeTrue();

        invocation!.Force.Should().BeTrue();
        invocation.StepTimeout.Should().Be(TimeSpan.FromSeconds(12.5));
    }

    [Fact]
    public void Leaves_other_command_lines_to_the_AppHost()
    {
        OpsCommandLine.TryParse(["--data", _data], out _, out _).Should().BeFalse();
        OpsCommandLine.TryParse(["publish", "--output", _data], out _, out _).Should().BeFalse();
        OpsCommandLine.TryParse([], out _, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("upgrade")]
    [InlineData("upgrade deploy")]
    [InlineData("smoke --step-timeout soon")]
    [InlineData("smoke --step-timeout -1")]
    public void Explains_a_wrong_command_line_with_the_usage(string line)
    {
        OpsCommandLine.TryParse(line.Split(' '), out var invocation, out var error).Should().BeTrue();

        invocation.Should().BeNull();
        error.Should().Contain("Usage:").And.NotBeSameAs(OpsCommandLine.Usage);
    }

    [Fact]
    public void Without_data_the_environments_default_data_folder_is_used()
    {
        OpsCommandLine.TryParse(["smoke"], out var invocation, out _).Should().BeTrue();
        OpsCommandLine.TryParse(["upgrade", "prepare", "--environment", "prod"], out var prod, out _).Should().BeTrue();

        invocation!.DataRoot.Should().Be(Path.GetFullPath(Atlas.AppHost.Hosting.DataFolder.DefaultRoot("dev")));
        prod!.DataRoot.Should().Be(Path.GetFullPath(Atlas.AppHost.Hosting.DataFolder.DefaultRoot("prod")));
    }

    [Theory]
    [InlineData(OpsVerb.Prepare, PlaybookStage.Idle, true)]
    [InlineData(OpsVerb.Prepare, PlaybookStage.Preparing, false)]
    [InlineData(OpsVerb.Prepare, PlaybookStage.Prepared, false)]
    [InlineData(OpsVerb.Prepare, PlaybookStage.Verified, false)]
    [InlineData(OpsVerb.Verify, PlaybookStage.Idle, false)]
    [InlineData(OpsVerb.Verify, PlaybookStage.Preparing, false)]
    [InlineData(OpsVerb.Verify, PlaybookStage.Prepared, true)]
    [InlineData(OpsVerb.Verify, PlaybookStage.Verified, true)]
    [InlineData(OpsVerb.Resume, PlaybookStage.Idle, false)]
    [InlineData(OpsVerb.Resume, PlaybookStage.Preparing, false)]
    [InlineData(OpsVerb.Resume, PlaybookStage.Prepared, false)]
    [InlineData(OpsVerb.Resume, PlaybookStage.Verified, true)]
    public void The_playbook_runs_prepare_verify_resume_in_order(OpsVerb step, PlaybookStage stage, bool allowed)
    {
        var state = new PlaybookState(stage, DateTimeOffset.UnixEpoch, []);

        var refusal = PlaybookRules.Refusal(step, state, force: false);

        if (allowed)
        {
            refusal.Should().BeNull();
        }
        else
        {
            refusal.Should().MatchRegex("'upgrade (prepare|verify|resume)( --force)?'", "a refusal names the step to run instead");
        }

        PlaybookRules.Refusal(step, state, force: true).Should().BeNull("--force runs any step");
    }

    [Fact]
    public void Resume_without_prepare_says_so()
    {
        PlaybookRules.Refusal(OpsVerb.Resume, PlaybookState.Idle, force: false).Should().StartWith("Nothing to resume").And.Contain("'upgrade prepare' was not run");
    }

    [Fact]
    public void The_state_file_round_trips_and_idle_removes_it()
    {
        var since = new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);
        new PlaybookState(PlaybookStage.Prepared, since, ["a", "b"]).Save(_data);

        var loaded = PlaybookState.Load(_data);
        loaded.Stage.Should().Be(PlaybookStage.Prepared);
        loaded.Since.Should().Be(since);
        loaded.BackupIds.Should().Equal("a", "b");
        File.ReadAllText(Path.Combine(_data, PlaybookState.FileName)).Should().Contain("\"prepared\"", "the stage is readable in the file");

        PlaybookState.Idle.Save(_data);
        File.Exists(Path.Combine(_data, PlaybookState.FileName)).Should().BeFalse();
        PlaybookState.Load(_data).Stage.Should().Be(PlaybookStage.Idle);
    }

    [Fact]
    public void A_damaged_state_file_is_an_error_naming_it()
    {
        File.WriteAllText(Path.Combine(_data, PlaybookState.FileName), "{ not json");

        var load = () => PlaybookState.Load(_data);

        load.Should().Throw<InvalidOperationException>().WithMessage($"*{PlaybookState.FileName}*remove it*");
    }

    [Fact]
    public void Sums_a_counter_over_its_series_or_one_label()
    {
        const string text = """
            # TYPE luka_handlers_success_total counter
            luka_handlers_success_total{handler="start",otel_scope_name="Atlas.Gateway"} 3 1733094000000
            luka_handlers_success_total{handler="chat",otel_scope_name="Atlas.Gateway"} 4.5
            luka_handlers_success_totally 100
            luka_handlers_failure_total{handler="start"} 7
            """;

        PrometheusText.Sum(text, "luka_handlers_success_total").Should().Be(7.5);
        PrometheusText.Sum(text, "luka_handlers_success_total", "handler=\"start\"").Should().Be(3);
        PrometheusText.Sum(text, "luka_missing_total").Should().Be(0);
    }

    [Fact]
    public void The_ops_chat_update_is_a_private_command_message_with_an_id_above_Telegram_range()
    {
        var update = OpsChatWebhook.Update("/search smoke canary", 12345, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        update["update_id"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(3_000_000_000L);
        var message = update["message"]!;
        message["chat"]!["id"]!.GetValue<long>().Should().Be(12345);
        message["chat"]!["type"]!.GetValue<string>().Should().Be("private");
        message["from"]!["id"]!.GetValue<long>().Should().Be(12345);
        message["date"]!.GetValue<long>().Should().Be(1_700_000_000);
        message["entities"]![0]!["type"]!.GetValue<string>().Should().Be("bot_command");
        message["entities"]![0]!["length"]!.GetValue<int>().Should().Be("/search".Length);
        OpsChatWebhook.Update("hello", 1, DateTimeOffset.UnixEpoch)["message"]!["entities"].Should().BeNull();
    }

    [Fact]
    public void The_smoke_user_is_configurable_and_required_against_the_real_Telegram()
    {
        OpsWiring.SmokeUserId(Config(), realTelegram: false).Should().Be(OpsWiring.DefaultSmokeUserId);
        OpsWiring.SmokeUserId(Config(("Atlas:Smoke:UserId", "42")), realTelegram: false).Should().Be(42);
        OpsWiring.SmokeUserId(Config(), realTelegram: true).Should().BeNull();
        OpsWiring.SmokeUserId(Config(("Atlas:Smoke:OpsChatId", "777")), realTelegram: true).Should().Be(777);
        var wrong = () => OpsWiring.SmokeUserId(Config(("Atlas:Smoke:OpsChatId", "-5")), realTelegram: true);
        wrong.Should().Throw<InvalidOperationException>().WithMessage("*Atlas:Smoke:OpsChatId*");
    }

    [Fact]
    public void A_smoke_line_says_pass_or_fail_the_time_and_one_line_of_detail()
    {
        SmokeReport.Line(new SmokeStep("/start", true, 42, "Hello!\nWelcome")).Should().MatchRegex(@"^PASS  /start\s+42 ms  Hello! Welcome$");
        SmokeReport.Line(new SmokeStep("LLM answer", false, 60000, new string('x', 300))).Should().StartWith("FAIL").And.EndWith("...");
        SmokeReport.Summary([new SmokeStep("a", true, 10, ""), new SmokeStep("b", false, 5, "")]).Should().Be("smoke: FAILED, 1/2 steps in 15 ms");
    }

    [Fact]
    public async Task Without_a_running_stack_an_upgrade_step_refuses_with_a_clear_message()
    {
        using var output = new StringWriter();

        var code = await OpsEntry.RunAsync(new OpsInvocation(OpsVerb.Resume, _data, false, TimeSpan.FromSeconds(1)), output, CancellationToken.None);

        code.Should().Be(1);
        output.ToString().Should().Contain("upgrade resume: refused").And.Contain("no running Atlas stack on " + _data);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
