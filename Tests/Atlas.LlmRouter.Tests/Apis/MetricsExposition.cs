using Atlas.LlmRouter.Tests.Support;

namespace Atlas.LlmRouter.Tests.Apis;

/// <summary>
/// LlmRouter's <c>/metrics</c>. It runs alone: OpenTelemetry listens to every meter named "Atlas.LlmRouter" in the
/// process, whichever host made it, so a provider-health gauge of another router host running meanwhile reports its
/// own providers' state under the same series. A service runs one host per process, where this cannot happen.
/// </summary>
[Collection(MetricsReaders.Name)]
public sealed class MetricsExposition
{
    [Fact]
    public async Task Metrics_count_tokens_by_provider_and_direction_and_report_provider_health()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.Llm.SetFaultAsync("ollama", new { kind = "rateLimit", retryAfterSeconds = 60 });
        await world.AskAsync("Count my tokens");
        using var http = world.Factory.CreateClient();

        var metrics = await Atlas.Testing.Eventually.PollAsync(
            () => http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), m => m.Contains("luka_llm_tokens_total", StringComparison.Ordinal));

        var lines = metrics.Split('\n');
        lines.Should().Contain(l => l.StartsWith("luka_llm_tokens_total{", StringComparison.Ordinal) && l.Contains("direction=\"input\",provider=\"openai\"", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("luka_llm_tokens_total{", StringComparison.Ordinal) && l.Contains("direction=\"output\",provider=\"openai\"", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("luka_llm_provider_health{", StringComparison.Ordinal) && l.EndsWith("provider=\"ollama\"} 0", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("luka_llm_provider_health{", StringComparison.Ordinal) && l.EndsWith("provider=\"openai\"} 1", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("luka_llm_fallback_total{", StringComparison.Ordinal) && l.Contains("from=\"ollama\",to=\"openai\"", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("luka_llm_request_seconds_bucket{", StringComparison.Ordinal) && l.Contains("outcome=\"ok\",provider=\"openai\"", StringComparison.Ordinal));
        metrics.Should().NotContain("Count my tokens");
    }
}
