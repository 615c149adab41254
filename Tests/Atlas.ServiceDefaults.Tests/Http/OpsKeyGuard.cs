using System.Net;
using System.Net.Http.Json;
using Atlas.ServiceDefaults.Security;
using Atlas.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Atlas.ServiceDefaults.Tests.Http;

/// <summary>Every service's ops endpoints share one guard: the configured key in X-Admin-Key, or a problem answer.</summary>
public sealed class OpsKeyGuard
{
    private const string KeyPath = "Demo:OpsKey";

    [Fact]
    public async Task Only_the_configured_key_passes_and_a_changed_key_applies_at_once()
    {
        await using var app = await StartAsync("first-key");
        using var client = new HttpClient { BaseAddress = Loopback.BaseUrl(app) };

        (await SendAsync(client, key: null)).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(client, "first-kez")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(client, "first-key")).Should().Be(HttpStatusCode.OK);

        app.Configuration[KeyPath] = "second-key";

        (await SendAsync(client, "first-key")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(client, "second-key")).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_a_configured_key_the_ops_api_is_off_and_says_which_setting_turns_it_on()
    {
        await using var app = await StartAsync(key: null);
        using var client = new HttpClient { BaseAddress = Loopback.BaseUrl(app) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ops/act");
        request.Headers.Add(OpsKey.HeaderName, string.Empty);

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        problem!.Detail.Should().Contain(KeyPath);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ops/act");
        if (key is not null)
        {
            request.Headers.Add(OpsKey.HeaderName, key);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<WebApplication> StartAsync(string? key)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ListenOnFreePort();
        builder.Configuration[KeyPath] = key;
        var app = builder.Build();
        app.MapGroup("/ops").RequireOpsKey(KeyPath).MapPost("/act", () => TypedResults.Ok("done"));
        await app.StartAsync();
        return app;
    }
}
