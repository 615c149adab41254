using System.Net;
using Atlas.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults.Tests.Http;

/// <summary>Every HttpClient of a service resolves other services by name and retries transient failures.</summary>
public sealed class OutboundHttpDefaults
{
    [Fact]
    public async Task A_client_reaches_another_service_by_its_name_and_rides_over_transient_503s()
    {
        var calls = 0;
        await using var upstream = await StartUpstreamAsync(context =>
        {
            var call = Interlocked.Increment(ref calls);
            context.Response.StatusCode = call <= 2 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            return context.Response.WriteAsync(call <= 2 ? "busy" : "pong");
        });
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["services:upstream:http:0"] = UrlOf(upstream);
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("upstream", client => client.BaseAddress = new Uri("http://upstream"));
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("upstream");

        using var response = await client.GetAsync(new Uri("/ping", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("pong");
        calls.Should().Be(3, "the standard resilience handler retried the two 503s");
    }

    private static async Task<WebApplication> StartUpstreamAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ListenOnFreePort();
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }

    private static string UrlOf(WebApplication app) => Loopback.BaseUrl(app).ToString().TrimEnd('/');
}
