using System.Diagnostics;
using Atlas.LlmRouter.Providers;
using Atlas.LlmRouter.Routing;
using Atlas.LlmRouter.Tests.Support;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Atlas.LlmRouter.Tests.Routing;

/// <summary>Providers rebuilt from reloaded configuration (key rotation without restart), and GenAI spans without prompt text.</summary>
public sealed class KeyRotation
{
    private static (ServiceProvider Services, IConfigurationRoot Configuration) Build(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton<ProviderCatalog>()
            .AddSingleton<ProviderCaller>();
        services.AddOptions<RetryOptions>().BindConfiguration(RetryOptions.Section);
        services.AddOptions<OllamaOptions>().BindConfiguration(OllamaOptions.Section);
        services.AddOptions<OpenAiOptions>().BindConfiguration(OpenAiOptions.Section);
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section);
        return (services.BuildServiceProvider(), configuration);
    }

    [Fact]
    public async Task A_rotated_api_key_is_used_by_the_next_call_without_a_restart()
    {
        await using var sandbox = await SandboxHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Llm:ApiKey"] = "sk-new-key-0001" });
        var (services, configuration) = Build(new Dictionary<string, string?>
        {
            ["LlmRouter:OpenAI:BaseUrl"] = new Uri(sandbox.BaseUrl, "v1/").ToString(),
            ["LlmRouter:OpenAI:Model"] = "sandbox-echo",
            ["LlmRouter:OpenAI:ApiKey"] = "sk-old-key-0000",
        });
        await using var _ = services;
        var catalog = services.GetRequiredService<ProviderCatalog>();

        var withOldKey = () => catalog.Providers[0].Client.GetResponseAsync("hello");
        (await withOldKey.Should().ThrowAsync<Exception>()).Which.Should().Match<Exception>(e => ProviderFailure.From(e).Status == 401);

        configuration["LlmRouter:OpenAI:ApiKey"] = "sk-new-key-0001";
        configuration.Reload();
        var response = await catalog.Providers[0].Client.GetResponseAsync("hello");

        response.Text.Should().StartWith("[sandbox model]");
    }

    [Fact]
    public async Task A_provider_appears_when_its_base_url_is_configured_at_run_time()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var (services, configuration) = Build(new Dictionary<string, string?> { ["LlmRouter:Ollama:Model"] = "sandbox-echo" });
        await using var _ = services;
        var catalog = services.GetRequiredService<ProviderCatalog>();
        catalog.Providers.Should().BeEmpty();

        configuration["LlmRouter:Ollama:BaseUrl"] = sandbox.BaseUrl.ToString();
        configuration.Reload();

        catalog.Providers.Select(p => p.Name).Should().Equal("ollama");
        (await catalog.Providers[0].Client.GetResponseAsync("hi")).Text.Should().Contain("You asked: \"hi\"");
    }

    [Fact]
    public async Task Retry_settings_changed_at_run_time_apply_to_the_next_call()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        using var sandboxHttp = new HttpClient { BaseAddress = sandbox.BaseUrl };
        var llm = new LlmSandboxControl(sandboxHttp);
        var (services, configuration) = Build(new Dictionary<string, string?>
        {
            ["LlmRouter:Ollama:BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["LlmRouter:Ollama:Model"] = "sandbox-echo",
            ["LlmRouter:Retry:MaxRetries"] = "1",
            ["LlmRouter:Retry:DefaultDelay"] = "00:00:00",
        });
        await using var _ = services;
        var caller = services.GetRequiredService<ProviderCaller>();
        var provider = services.GetRequiredService<ProviderCatalog>().Providers[0];
        var ask = () => caller.CallAsync(provider, [new ChatMessage(ChatRole.User, "hello")], CancellationToken.None);

        await llm.SetFaultAsync("ollama", new { kind = "fail", status = 503, times = 1 });
        (await ask()).Text.Should().Contain("You asked: \"hello\"", "one 503 is retried");

        configuration["LlmRouter:Retry:MaxRetries"] = "0";
        configuration.Reload();
        await llm.SetFaultAsync("ollama", new { kind = "fail", status = 503, times = 1 });
        (await ask.Should().ThrowAsync<Exception>()).Which.Should().Match<Exception>(e => ProviderFailure.From(e).Status == 503, "retries are now off");
        (await llm.CountAsync("ollama")).Should().Be(3);
    }

    [Fact]
    public async Task GenAI_spans_carry_the_model_and_tokens_but_no_prompt_text()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var (services, _) = Build(new Dictionary<string, string?>
        {
            ["LlmRouter:Ollama:BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["LlmRouter:Ollama:Model"] = "sandbox-echo",
        });
        await using var __ = services;
        // Other tests in this process call models at the same time: only spans of this test's own trace count.
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var test = new ActivitySource("Atlas.LlmRouter.Tests.GenAiSpans");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProviderCatalog.GenAiSource || source == test,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId traceId;
        using (var parent = test.StartActivity("ask"))
        {
            traceId = parent!.TraceId;
            await services.GetRequiredService<ProviderCatalog>().Providers[0].Client.GetResponseAsync("my secret question 4242");
        }

        var span = spans.Where(s => s.TraceId == traceId && s.Source.Name == ProviderCatalog.GenAiSource).Should().ContainSingle().Subject;
        span.GetTagItem("gen_ai.request.model").Should().Be("sandbox-echo");
        span.GetTagItem("gen_ai.usage.input_tokens").Should().NotBeNull();
        span.TagObjects.Should().NotContain(t => (t.Value ?? "").ToString()!.Contains("4242", StringComparison.Ordinal));
        span.Events.SelectMany(e => e.Tags).Should().NotContain(t => (t.Value ?? "").ToString()!.Contains("4242", StringComparison.Ordinal));
    }
}
