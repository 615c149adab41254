using System.Net;
using System.Net.Http.Json;
using Atlas.ServiceDefaults.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults.Tests.Health;

/// <summary>The debug endpoints exist only where the environment turns them on (dev), and name no configuration value.</summary>
public sealed class DebugEndpointTests
{
    [Fact]
    public async Task Runtime_figures_are_served_when_debug_endpoints_are_on()
    {
        await using var app = await StartAsync(debugEndpoints: "true");
        using var client = app.GetTestClient();

        var snapshot = await client.GetFromJsonAsync<DebugEndpoints.RuntimeSnapshot>(new Uri(DebugEndpoints.RuntimePath, UriKind.Relative));

        snapshot!.Environment.Should().Be("dev");
        snapshot.WorkingSetBytes.Should().BePositive();
        snapshot.GcHeapBytes.Should().BePositive();
        snapshot.Threads.Should().BePositive();
        snapshot.Processors.Should().Be(Environment.ProcessorCount);
        snapshot.Collections.Should().HaveCount(3);
        var raw = await client.GetStringAsync(new Uri(DebugEndpoints.RuntimePath, UriKind.Relative));
        raw.Should().NotContain("hunter2-secret", "no configuration value is reported");
    }

    [Theory]
    [InlineData("false")]
    [InlineData(null)]
    public async Task Without_debug_endpoints_the_path_does_not_exist(string? debugEndpoints)
    {
        await using var app = await StartAsync(debugEndpoints);
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(new Uri(DebugEndpoints.RuntimePath, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static async Task<WebApplication> StartAsync(string? debugEndpoints)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration[DebugEndpoints.Setting] = debugEndpoints;
        builder.Configuration["Atlas:Environment"] = "dev";
        builder.Configuration["Some:ApiKey"] = "hunter2-secret";
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }
}
