using Atlas.AppHost.Hosting;
using Atlas.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults.Tests.Health;

/// <summary>
/// Runs alone: OpenTelemetry's meter listener is process-wide, so another service host running in this test process
/// at the same time registers the same <c>Atlas.ServiceDefaults</c> instruments first and this host's exporter skips
/// its own as duplicates. A deployed service is one host per process.
/// </summary>
[CollectionDefinition(nameof(DependencyMetrics), DisableParallelization = true)]
public sealed class DependencyMetricsRunsAlone;

/// <summary>The readiness checks as metrics: a lost dependency shows on /metrics for the alert rules.</summary>
[Collection(nameof(DependencyMetrics))]
public sealed class DependencyMetrics
{
    [Fact]
    public async Task A_failing_readiness_check_shows_on_metrics_as_dependency_down_and_counts_failures()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["ConnectionStrings:redis"] = $"127.0.0.1:{FreePort.Next()},password=hunter2-secret,connectTimeout=500";
        builder.AddServiceDefaults();
        builder.AddRedisClient("redis");
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        using var client = app.GetTestClient();

        var metrics = await Eventually.PollAsync(
            () => client.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            text => text.Contains("atlas_dependency_check_failures_total{", StringComparison.Ordinal));

        metrics.Should().MatchRegex("(?m)^atlas_dependency_up\\{[^}]*dependency=\"redis\"[^}]*\\} 0( |$)");
        metrics.Should().MatchRegex("(?m)^atlas_dependency_check_failures_total\\{[^}]*dependency=\"redis\"[^}]*\\} [1-9]");
        metrics.Should().NotContain("hunter2-secret");
    }
}
