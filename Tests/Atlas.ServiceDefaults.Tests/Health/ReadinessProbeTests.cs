using System.Net;
using System.Text.Json;
using Atlas.AppHost.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults.Tests.Health;

/// <summary>The probes of a minimal service whose only dependency is Redis.</summary>
public sealed class ReadinessProbeTests
{
    [Fact]
    public async Task Readyz_is_503_with_redis_unhealthy_while_healthz_stays_200_when_redis_is_down()
    {
        await using var app = await StartAsync($"127.0.0.1:{FreePort.Next()},password=hunter2-secret,connectTimeout=500");
        using var client = app.GetTestClient();

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = await ready.Content.ReadAsStringAsync();

        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetString().Should().Be("unhealthy");
        var redis = json.RootElement.GetProperty("checks").GetProperty("redis");
        redis.GetProperty("status").GetString().Should().Be("unhealthy");
        redis.GetProperty("reason").GetString().Should().NotBeNullOrWhiteSpace();
        body.Should().NotContain("hunter2-secret");
        (await client.GetStringAsync(new Uri("/healthz", UriKind.Relative))).Should().Be("""{"status":"healthy"}""");
    }

    [Fact]
    public async Task Readyz_is_200_with_redis_healthy_when_redis_answers()
    {
        var servers = await Atlas.Testing.RealServers.Shared;
        await using var app = await StartAsync(servers.Redis);
        using var client = app.GetTestClient();

        var body = await client.GetStringAsync(new Uri("/readyz", UriKind.Relative));

        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString().Should().Be("healthy");
    }

    [Fact]
    public async Task A_missing_connection_string_fails_at_start_naming_the_key_to_set()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServiceDefaults();
        builder.AddRedisClient("redis");
        await using var app = builder.Build();

        var start = () => app.StartAsync();

        await start.Should().ThrowAsync<InvalidOperationException>().WithMessage("*ConnectionStrings:redis*ConnectionStrings__redis*");
    }

    private static async Task<WebApplication> StartAsync(string redisConnectionString)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["ConnectionStrings:redis"] = redisConnectionString;
        builder.AddServiceDefaults();
        builder.AddRedisClient("redis");
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }
}
