using Atlas.AppHost;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.IntegrationTests;

/// <summary>The application model the AppHost builds, read without starting it: how each server is resolved.</summary>
public sealed class ModelTests : IDisposable
{
    private readonly string _dataRoot = Directory.CreateTempSubdirectory("atlas-model-").FullName;
    private readonly string _emptyPath = Directory.CreateTempSubdirectory("atlas-nopath-").FullName;

    [Fact]
    public async Task Declares_every_service_and_the_sandbox_with_their_references_and_waits()
    {
        await using var builder = await CreateAsync();

        var names = builder.Resources.Select(r => r.Name).ToList();
        names.Should().Contain(["redis", "postgres", "rabbitmq", "gatewaydb", "moderationdb", "llmdb", "workflowdb", "backupdb",
            "gateway", "moderation", "llmrouter", "workflow", "backup", "sandbox"]);
        var gateway = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway");
        gateway.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Should().Contain(["gatewaydb", "redis", "rabbitmq", "sandbox"]);
        builder.Resources.OfType<ParameterResource>().Where(p => p.Name.EndsWith("-password", StringComparison.Ordinal) || p.Name.EndsWith("-token", StringComparison.Ordinal) || p.Name.EndsWith("-key", StringComparison.Ordinal))
            .Should().OnlyContain(p => p.Secret, "every generated password, token and key is a secret parameter");
        builder.Resources.OfType<LocalRedisResource>().Should().ContainSingle("redis-server is installed here");
    }

    [Fact]
    public async Task A_configured_connection_string_is_used_instead_of_a_local_server()
    {
        await using var builder = await CreateAsync("--infra-only", "--ConnectionStrings:redis=127.0.0.1:6390,password=x");

        builder.Resources.Single(r => r.Name == "redis").Should().BeAssignableTo<ParameterResource>("a configured server is an Aspire connection string, not a process");
        builder.Resources.OfType<LocalPostgresResource>().Should().ContainSingle();
    }

    [Fact]
    public async Task Without_the_Debian_servers_a_chosen_container_runtime_gets_Aspire_own_container_resources()
    {
        await using var builder = await CreateAsync("--infra-only", "--containers", $"--Atlas:ServerSearchPath={_emptyPath}");

        builder.Resources.Single(r => r.Name == "redis").Should().BeOfType<RedisResource>();
        builder.Resources.Single(r => r.Name == "postgres").Should().BeOfType<PostgresServerResource>();
        builder.Resources.Single(r => r.Name == "rabbitmq").Should().BeOfType<RabbitMQServerResource>();
        builder.Resources.Where(r => r.Name is "redis" or "postgres" or "rabbitmq").Should().OnlyContain(r => r.Annotations.OfType<ContainerImageAnnotation>().Any());
    }

    [Fact]
    public async Task Without_the_servers_or_a_container_runtime_the_start_stops_with_the_package_to_install_and_the_key_to_set()
    {
        var create = () => CreateAsync("--infra-only", $"--Atlas:ServerSearchPath={_emptyPath}");

        var failure = await create.Should().ThrowAsync<Exception>();
        failure.Which.ToString().Should().Contain("sudo apt-get install -y redis-server").And.Contain("ConnectionStrings__redis");
    }

    [Fact]
    public async Task Without_a_configured_model_LlmRouter_asks_the_Sandbox_on_both_surfaces_with_secret_keys()
    {
        await using var builder = await CreateAsync();

        var llmrouter = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "llmrouter");
        var sandbox = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "sandbox");
        llmrouter.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Should().Contain(["llmdb", "redis", "rabbitmq", "sandbox"]);
        var environment = await EnvironmentOfAsync(llmrouter);

        environment["LlmRouter__Ollama__BaseUrl"].Should().BeOfType<EndpointReference>().Which.Resource.Should().BeSameAs(sandbox);
        var openAiUrl = environment["LlmRouter__OpenAI__BaseUrl"].Should().BeOfType<ReferenceExpression>().Subject;
        openAiUrl.ValueProviders.OfType<EndpointReference>().Should().ContainSingle().Which.Resource.Should().BeSameAs(sandbox);
        openAiUrl.Format.Should().EndWith("/v1/");
        environment["LlmRouter__Ollama__Model"].Should().Be("sandbox-echo");
        environment["LlmRouter__OpenAI__Model"].Should().Be("sandbox-echo");

        var adminKey = environment["LlmRouter__AdminApiKey"].Should().BeOfType<ParameterResource>().Subject;
        adminKey.Secret.Should().BeTrue();
        var openAiKey = environment["LlmRouter__OpenAI__ApiKey"].Should().BeOfType<ParameterResource>().Subject;
        openAiKey.Secret.Should().BeTrue();
        (await EnvironmentOfAsync(sandbox))["Sandbox__Llm__ApiKey"].Should().BeSameAs(openAiKey, "the Sandbox demands the key LlmRouter sends");

        llmrouter.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).Should().Contain(["rate-limited-on", "rate-limited-off"]);
        environment.Should().NotContainKey("ConnectionStrings__elasticsearch", "the knowledge base stays on PostgreSQL by default");
    }

    [Fact]
    public async Task A_configured_model_provider_is_passed_to_LlmRouter_instead_of_the_Sandbox()
    {
        await using var builder = await CreateAsync(
            "--LlmRouter:Ollama:BaseUrl=http://ollama.internal:11434", "--LlmRouter:Ollama:Model=llama3.2",
            "--LlmRouter:OpenAI:BaseUrl=https://api.example.com/v1", "--LlmRouter:OpenAI:Model=gpt-4o-mini",
            "--LlmRouter:OpenAI:ApiKey=sk-not-in-env", "--Parameters:openai-api-key=sk-secret", "--ConnectionStrings:elasticsearch=http://es.internal:9200");

        var llmrouter = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "llmrouter");
        var environment = await EnvironmentOfAsync(llmrouter);

        environment["LlmRouter__Ollama__BaseUrl"].Should().Be("http://ollama.internal:11434");
        environment["LlmRouter__Ollama__Model"].Should().Be("llama3.2");
        environment["LlmRouter__OpenAI__BaseUrl"].Should().Be("https://api.example.com/v1");
        environment["LlmRouter__OpenAI__ApiKey"].Should().BeOfType<ParameterResource>().Which.Secret.Should().BeTrue();
        llmrouter.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Should().NotContain("sandbox");
        environment.Should().ContainKey("ConnectionStrings__elasticsearch", "a configured Elasticsearch takes the knowledge base");
    }

    [Fact]
    public async Task Without_a_configured_CAS_list_Moderation_looks_up_known_spammers_at_the_Sandbox()
    {
        await using var builder = await CreateAsync();

        var moderation = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "moderation");
        var sandbox = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "sandbox");
        moderation.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Should().Contain("sandbox");
        var cas = (await EnvironmentOfAsync(moderation))["Moderation__Cas__BaseUrl"].Should().BeOfType<ReferenceExpression>().Subject;
        cas.ValueProviders.OfType<EndpointReference>().Should().ContainSingle().Which.Resource.Should().BeSameAs(sandbox);
        cas.Format.Should().EndWith("/cas/");
    }

    [Fact]
    public async Task A_configured_CAS_list_is_passed_to_Moderation_instead_of_the_Sandbox()
    {
        await using var builder = await CreateAsync("--Moderation:Cas:BaseUrl=https://api.cas.chat/");

        var moderation = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "moderation");
        (await EnvironmentOfAsync(moderation))["Moderation__Cas__BaseUrl"].Should().Be("https://api.cas.chat/");
        moderation.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Should().NotContain("sandbox");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Workflow_gets_a_secret_ops_key_and_the_resume_all_command_with_or_without_the_Sandbox(bool camundaConfigured)
    {
        await using var builder = await CreateAsync(camundaConfigured ? ["--Camunda:RestAddress=http://camunda.internal:8080"] : []);

        var workflow = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "workflow");
        var key = (await EnvironmentOfAsync(workflow))["Workflow__OpsApiKey"].Should().BeOfType<ParameterResource>().Subject;
        key.Name.Should().Be("workflow-ops-key");
        key.Secret.Should().BeTrue();
        workflow.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).Should().Contain("resume-parked");
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--Parameters:telegram-bot-token=123:not-a-real-token" }, false)]
    [InlineData(new[] { "--Camunda:RestAddress=http://camunda.internal:8080" }, false)]
    public async Task Only_a_stack_of_stand_ins_makes_the_chat_pages_user_a_workflow_operator(string[] args, bool operatorExpected)
    {
        await using var builder = await CreateAsync(args);

        var environment = await EnvironmentOfAsync(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "workflow"));

        if (operatorExpected)
        {
            environment["Workflow__Operators__sandbox__TelegramUserId"].Should().Be("1001", "the chat page's default user");
            environment["Workflow__Operators__sandbox__CandidateGroups__0"].Should().Be("moderators");
            environment["Workflow__Operators__sandbox__Admin"].Should().Be("true");
        }
        else
        {
            environment.Keys.Should().NotContain(k => k.StartsWith("Workflow__Operators__", StringComparison.Ordinal), "user 1001 of a real Telegram is a stranger");
        }
    }

    [Fact]
    public async Task Backup_gets_every_target_a_secret_ops_key_and_the_back_up_and_verify_commands()
    {
        await using var builder = await CreateAsync();

        var backup = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "backup");
        var environment = await EnvironmentOfAsync(backup);

        environment.Keys.Should().Contain(["ConnectionStrings__gatewaydb", "ConnectionStrings__moderationdb", "ConnectionStrings__llmdb",
            "ConnectionStrings__workflowdb", "ConnectionStrings__backupdb", "ConnectionStrings__redis"]);
        environment["Backup__OpsApiKey"].Should().BeOfType<ParameterResource>().Which.Secret.Should().BeTrue();
        environment["Backup__EncryptionKey"].Should().BeOfType<ParameterResource>().Which.Secret.Should().BeTrue();
        backup.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).Should().Contain(["backup-now", "verify-latest"]);
    }

    [Fact]
    public async Task The_ops_commands_of_gateway_workflow_backup_and_moderation_keep_their_names_labels_icons_and_texts()
    {
        await using var builder = await CreateAsync();

        var commands = builder.Resources.OfType<ProjectResource>().Where(r => r.Name is "gateway" or "workflow" or "backup" or "moderation")
            .SelectMany(r => r.Annotations.OfType<ResourceCommandAnnotation>().Where(c => c.Name is not ("resource-start" or "resource-stop" or "resource-restart") && !c.Name.StartsWith("chaos-", StringComparison.Ordinal))
                .Select(c => (Resource: r.Name, c.Name, c.DisplayName, c.IconName, c.DisplayDescription, c.ConfirmationMessage)))
            .ToList();

        commands.Should().BeEquivalentTo(new (string, string, string, string?, string?, string?)[]
        {
            ("gateway", "freeze", "Freeze inbound", "Snowflake", "Stop handling inbound updates (they stay queued) until Unfreeze.", null),
            ("gateway", "unfreeze", "Unfreeze inbound", "Play", "Handle inbound updates again.", null),
            ("gateway", "tier-normal", "Rate limits: normal", "TopSpeed", "The seed's normal inbound limits.", null),
            ("gateway", "tier-high", "Rate limits: high", "TopSpeed", "Tighter inbound limits for high load.", null),
            ("gateway", "tier-crisis", "Rate limits: crisis", "Warning", "The tightest inbound limits.", null),
            ("gateway", "mode-polling", "Telegram: polling", "ArrowSync", "Receive updates with getUpdates.", null),
            ("gateway", "mode-webhook", "Telegram: webhook", "Globe", "Receive updates on the webhook.", null),
            ("gateway", "upgrade-prepare", "Upgrade: prepare", "Snowflake", "Freeze inbound, take an emergency backup and warm the workflow caches.", null),
            ("gateway", "upgrade-verify", "Upgrade: verify", "CheckmarkCircle", "Smoke test, handler successes counted, LLM provider healthy.", null),
            ("gateway", "upgrade-resume", "Upgrade: resume", "Play", "Unfreeze inbound once the upgrade is verified.", null),
            ("gateway", "smoke-test", "Smoke test", "Beaker", "/start, /groups, knowledge search, workflow launch and an LLM answer as a user.", null),
            ("gateway", "rotate-bot-token", "Rotate bot token", "KeyReset",
                "Switch the gateway to a new bot token from @BotFather: webhook registered again, polling goes on at its offset, queued messages go out with it.", null),
            ("workflow", "resume-parked", "Resume all parked work", "ArrowClockwise", "Retry every parked Camunda operation now.", null),
            ("backup", "backup-now", "Back up now", "Save", "An emergency backup of every target (and its verification).", null),
            ("backup", "verify-latest", "Verify latest", "CheckmarkCircle", "Restore the newest backup of every target into scratch space and compare it.", null),
            ("moderation", "strict-on", "Strict moderation on", "Shield", null, null),
            ("moderation", "strict-off", "Strict moderation off", "Shield", null, null),
        }.Select(c => (Resource: c.Item1, Name: c.Item2, DisplayName: c.Item3, IconName: c.Item4, DisplayDescription: c.Item5, ConfirmationMessage: c.Item6)));
    }

    [Theory]
    [InlineData("dev", "Debug", "1", "true")]
    [InlineData("stage", "Information", "0.25", "false")]
    [InlineData("prod", "Warning", "0.1", "false")]
    public async Task The_environment_sets_every_services_profile_its_backups_and_its_database_names(
        string environment, string logLevel, string samplingRatio, string debugEndpoints)
    {
        await using var builder = await CreateAsync("--environment", environment);

        var services = builder.Resources.OfType<ProjectResource>().Where(r => r.Name != "sandbox").ToList();
        services.Select(s => s.Name).Should().BeEquivalentTo(["gateway", "moderation", "llmrouter", "workflow", "backup"]);
        foreach (var service in services)
        {
            var variables = await EnvironmentOfAsync(service);
            variables["Atlas__Environment"].Should().Be(environment, service.Name);
            variables["Logging__LogLevel__Default"].Should().Be(logLevel, service.Name);
            variables["Logging__LogLevel__MassTransit"].Should().Be("Warning", "framework chatter stays out of every profile");
            variables["Logging__LogLevel__Microsoft.Hosting.Lifetime"].Should().Be("Information", "the start and stop lines stay");
            variables["Telemetry__SamplingRatio"].Should().Be(samplingRatio, service.Name);
            variables["Atlas__DebugEndpoints"].Should().Be(debugEndpoints, service.Name);
        }

        builder.Resources.OfType<AtlasDatabaseResource>().Should().HaveCount(5)
            .And.OnlyContain(d => d.DatabaseName == $"{environment}_{d.Name}", "each environment's databases carry its prefix");
        var backup = await EnvironmentOfAsync(services.Single(s => s.Name == "backup"));
        switch (environment)
        {
            case "dev":
                backup["Backup__Schedules__Enabled"].Should().Be("false", "dev takes no scheduled backups");
                break;
            case "stage":
                backup["Backup__Schedules__Databases__Cron"].Should().Be("0 2 * * *", "stage backs up daily");
                break;
            default:
                backup["Backup__Profile"].Should().Be("production", "prod backs its databases up hourly");
                backup["Backup__Schedules__Databases__KeepLast"].Should().Be("48");
                backup["Backup__Schedules__Databases__KeepDaily"].Should().Be("30");
                break;
        }
    }

    [Fact]
    public void The_environment_chooses_its_own_data_folder_and_dashboard_ports_and_an_unknown_one_is_refused()
    {
        var stage = AtlasOptions.Parse(["--environment", "stage"], out var none);
        none.Should().BeNull();
        stage.Environment.Should().Be(AtlasEnvironment.Stage);
        Path.GetFileName(stage.DataRoot).Should().Be("stage");
        stage.AspireArgs.Should().Contain(["--ASPNETCORE_URLS=http://localhost:18988", "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:18989"]);

        var prod = AtlasOptions.Parse(["--environment", "PROD", "--ASPNETCORE_URLS=http://127.0.0.1:5999"], out _);
        prod.Environment.Should().Be(AtlasEnvironment.Prod);
        Path.GetFileName(prod.DataRoot).Should().Be("prod");
        Path.GetDirectoryName(prod.DataRoot).Should().Be(Path.GetDirectoryName(stage.DataRoot), "the environments' folders sit side by side");
        prod.AspireArgs.Should().ContainSingle(a => a.Contains("ASPNETCORE_URLS", StringComparison.Ordinal), "a port given on the command line wins");

        AtlasOptions.Parse(["--environment", "qa"], out var error);
        error.Should().StartWith("Unknown environment 'qa': use dev, stage or prod.");
    }

    public void Dispose()
    {
        Directory.Delete(_dataRoot, recursive: true);
        Directory.Delete(_emptyPath, recursive: true);
    }

    private static async Task<Dictionary<string, object>> EnvironmentOfAsync(ProjectResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }

    private Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(["--data", _dataRoot, "--ephemeral", .. args]);
}
