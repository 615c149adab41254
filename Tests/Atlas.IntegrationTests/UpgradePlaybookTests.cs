using System.Net.Http.Json;
using System.Text.Json;
using Atlas.AppHost.Ops;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.IntegrationTests;

/// <summary>
/// The smoke test and the upgrade playbook against the shared running stack, through the AppHost's command line
/// (<c>dotnet Atlas.AppHost.dll smoke|upgrade ... --data &lt;its data folder&gt;</c>), as ops run them, and its dashboard commands.
/// </summary>
[Collection("stack")]
public sealed class UpgradePlaybookTests(RunningAtlas stack)
{
    private const long OrdinaryUser = 4501;
    private const string PausedNotice = "paused for maintenance";
    private static readonly string[] LlmSurfaces = ["ollama", "openai"];

    [Fact]
    public async Task The_running_AppHost_leaves_a_private_discovery_file_pointing_at_the_stack()
    {
        var path = StackDiscovery.PathIn(stack.DataRoot);
        await DiscoveredAsync();

        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var discovery = StackDiscovery.Read(stack.DataRoot, out var reason);
        discovery.Should().NotBeNull(reason);
        discovery!.Gateway.Should().Be(new Uri(stack.App.GetEndpoint("gateway", "http"), "/"));
        discovery.Sandbox.Should().Be(new Uri(stack.App.GetEndpoint("sandbox", "http"), "/"));
        discovery.GatewayAdminKey.Should().Be(await stack.SecretAsync("gateway-admin-key"));
        discovery.SmokeUserId.Should().Be(OpsWiring.DefaultSmokeUserId);
    }

    [Fact]
    public async Task Smoke_passes_every_step_against_the_running_stack()
    {
        var (code, output) = await AppHostAsync("smoke");

        code.Should().Be(0, output);
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        foreach (var step in (string[])["/start", "/groups", "knowledge search", "workflow launch", "LLM answer"])
        {
            lines.Should().ContainSingle(l => l.StartsWith("PASS  " + step, StringComparison.Ordinal), output);
        }

        lines.Should().ContainMatch("smoke: passed, 5/5 steps in * ms");
        output.Should().NotContain(await stack.SecretAsync("sandbox-bot-token")).And.NotContain(await stack.SecretAsync("gateway-admin-key"));
    }

    [Fact]
    public async Task Smoke_fails_the_LLM_step_when_no_model_provider_answers()
    {
        using var sandbox = stack.App.CreateHttpClient("sandbox", "http");
        try
        {
            foreach (var surface in LlmSurfaces)
            {
                using var down = await sandbox.PutAsJsonAsync(new Uri($"/sandbox/llm/{surface}/fault", UriKind.Relative), new { kind = "fail", status = 503 });
                down.EnsureSuccessStatusCode();
            }

            var (code, output) = await AppHostAsync("smoke", "--step-timeout", "30");

            code.Should().Be(1, output);
            var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
            lines.Should().ContainSingle(l => l.StartsWith("FAIL  LLM answer", StringComparison.Ordinal), output)
                .Which.Should().Contain("no model provider answered", "the fallback answer is named, not passed");
            lines.Should().ContainSingle(l => l.StartsWith("PASS  /start", StringComparison.Ordinal), "the other steps do not need a model");
            lines.Should().ContainMatch("smoke: FAILED, 4/5 steps in * ms");
        }
        finally
        {
            foreach (var surface in LlmSurfaces)
            {
                using var up = await sandbox.DeleteAsync(new Uri($"/sandbox/llm/{surface}/fault", UriKind.Relative));
            }
        }
    }

    [Fact]
    public async Task The_smoke_test_dashboard_command_passes()
    {
        await DiscoveredAsync();

        var result = await stack.App.ResourceCommands.ExecuteCommandAsync("gateway", "smoke-test");

        result.Success.Should().BeTrue(result.Message);
        result.Message.Should().Contain("smoke: passed, 5/5 steps");
    }

    [Fact]
    public async Task The_playbook_refuses_steps_out_of_order_freezes_backs_up_verifies_and_resumes()
    {
        try
        {
            var (resumeCode, resumeOutput) = await AppHostAsync("upgrade", "resume");
            resumeCode.Should().NotBe(0);
            resumeOutput.Should().Contain("upgrade resume: refused. Nothing to resume");
            var (verifyCode, verifyOutput) = await AppHostAsync("upgrade", "verify");
            verifyCode.Should().NotBe(0);
            verifyOutput.Should().Contain("upgrade verify: refused. Nothing to verify");

            var (prepareCode, prepareOutput) = await AppHostAsync("upgrade", "prepare");
            prepareCode.Should().Be(0, prepareOutput);
            prepareOutput.Should().Contain("froze inbound").And.Contain("emergency backup").And.Contain("warmed the workflow caches");
            (await GatewayStatusAsync()).GetProperty("frozen").GetBoolean().Should().BeTrue();
            var state = PlaybookState.Load(stack.DataRoot);
            state.Stage.Should().Be(PlaybookStage.Prepared);
            var listed = await BackupIdsAsync();
            listed.Should().Contain(state.BackupIds, "the emergency backups are in the backup list");
            state.BackupIds.Should().NotBeEmpty();

            // Inbound is frozen: an ordinary user is told the bot is paused and gets no answer.
            var token = await stack.SecretAsync("sandbox-bot-token");
            using var telegram = new TelegramSandboxClient(stack.App.GetEndpoint("sandbox", "http"));
            var during = await telegram.SendMessageAsync(token, new SandboxUserMessage { UserId = OrdinaryUser, FirstName = "Ada", LanguageCode = "en", Text = "Are you there during the upgrade?" });
            (await BotRepliesAsync(telegram, token, during.MessageId, replies => replies.Count > 0)).Should().ContainSingle().Which.Should().Contain(PausedNotice);

            var (againCode, againOutput) = await AppHostAsync("upgrade", "prepare");
            againCode.Should().NotBe(0);
            againOutput.Should().Contain("refused. An upgrade is already under way (prepared");

            var (verifyAfterCode, verifyAfterOutput) = await AppHostAsync("upgrade", "verify");
            verifyAfterCode.Should().Be(0, verifyAfterOutput);
            verifyAfterOutput.Should().Contain("smoke: passed, 5/5 steps").And.MatchRegex(@"luka_handlers_success_total moved: \d+ -> \d+").And.Contain("LLM providers healthy");
            (await GatewayStatusAsync()).GetProperty("frozen").GetBoolean().Should().BeTrue("verify leaves inbound frozen");
            (await telegram.GetChatMessagesAsync(token, OrdinaryUser)).Where(m => m.FromBot).Should().ContainSingle("the frozen user got the paused notice only");

            var (resumedCode, resumedOutput) = await AppHostAsync("upgrade", "resume");
            resumedCode.Should().Be(0, resumedOutput);
            resumedOutput.Should().Contain("upgrade resume: unfroze inbound");
            (await GatewayStatusAsync()).GetProperty("frozen").GetBoolean().Should().BeFalse();
            PlaybookState.Load(stack.DataRoot).Stage.Should().Be(PlaybookStage.Idle);

            var after = await telegram.SendMessageAsync(token, new SandboxUserMessage { UserId = OrdinaryUser, FirstName = "Ada", LanguageCode = "en", Text = "Are you back after the upgrade?" });
            (await BotRepliesAsync(telegram, token, after.MessageId, replies => replies.Count > 0)).Should().ContainSingle().Which.Should().NotContain(PausedNotice);
        }
        finally
        {
            await AppHostAsync("upgrade", "resume", "--force");
        }
    }

    /// <summary>The AppHost's command line on the stack's data folder, once the stack can be discovered (else smoke would start a stack of its own).</summary>
    private async Task<(int Code, string Output)> AppHostAsync(params string[] arguments)
    {
        await DiscoveredAsync();
        return await OpsTools.RunAsync("dotnet", OpsTools.RepoRoot, [OpsTools.AppHostDll, .. arguments, "--data", stack.DataRoot]);
    }

    private Task<bool> DiscoveredAsync() =>
        Eventually.PollAsync(() => Task.FromResult(File.Exists(StackDiscovery.PathIn(stack.DataRoot))), exists => exists, TimeSpan.FromSeconds(60));

    private async Task<JsonElement> GatewayStatusAsync()
    {
        using var http = stack.App.CreateHttpClient("gateway", "http");
        http.DefaultRequestHeaders.Add("X-Admin-Key", await stack.SecretAsync("gateway-admin-key"));
        return await http.GetFromJsonAsync<JsonElement>(new Uri("/admin/status", UriKind.Relative));
    }

    private async Task<List<string>> BackupIdsAsync()
    {
        using var http = stack.App.CreateHttpClient("backup", "http");
        http.DefaultRequestHeaders.Add("X-Admin-Key", await stack.SecretAsync("backup-ops-key"));
        var list = await http.GetFromJsonAsync<JsonElement>(new Uri("/backups", UriKind.Relative));
        return [.. list.EnumerateArray().Select(b => b.GetProperty("id").GetString()!)];
    }

    /// <summary>The bot's messages to the ordinary user after <paramref name="after"/>, once <paramref name="done"/> holds.</summary>
    private static async Task<List<string>> BotRepliesAsync(TelegramSandboxClient telegram, string token, long after, Func<List<string>, bool> done) =>
        await Eventually.PollAsync(
            async () => (await telegram.GetChatMessagesAsync(token, OrdinaryUser)).Where(m => m.FromBot && m.MessageId > after).Select(m => m.Text ?? "").ToList(),
            done, TimeSpan.FromSeconds(60));
}
