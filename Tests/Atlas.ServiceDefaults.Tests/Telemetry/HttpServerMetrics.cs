using System.Net;
using Atlas.AppHost.Hosting;
using Atlas.ServiceDefaults.Tests.Health;
using Atlas.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// The HTTP server's metrics on /metrics, served by Kestrel itself (its memory pool only exists there). Runs alone
/// with the other /metrics tests: OpenTelemetry's meter listener is process-wide.
/// </summary>
[Collection(nameof(DependencyMetrics))]
public sealed class HttpServerMetrics
{
    [Fact]
    public async Task Exports_request_metrics_and_not_Kestrels_memory_pool()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapPost("/echo", async (HttpRequest request) => Results.Text(await new StreamReader(request.Body).ReadToEndAsync()));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        for (var i = 0; i < 20; i++)
        {
            using var response = await client.PostAsync(new Uri("/echo", UriKind.Relative), new StringContent(new string('x', 10_000)));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var metrics = await Eventually.PollAsync(
            () => client.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            text => text.Contains("http_server_request_duration_seconds_count{", StringComparison.Ordinal));

        metrics.Should().MatchRegex("(?m)^http_server_request_duration_seconds_count\\{[^}]*http_route=\"/echo\"[^}]*\\} 20( |$)");
        metrics.Should().Contain("kestrel_active_connections");
        metrics.Should().NotContain("aspnetcore_memory_pool");
    }
}
