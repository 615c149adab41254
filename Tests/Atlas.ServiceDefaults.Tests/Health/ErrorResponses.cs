using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults.Tests.Health;

/// <summary>Errors leave a service as RFC 9457 problem details, never as a stack trace.</summary>
public sealed class ErrorResponses
{
    [Fact]
    public async Task An_unhandled_exception_becomes_a_500_problem_details_without_a_stack_trace_even_in_development()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        builder.AddBasicServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("secret internals at Atlas.Boom()"));
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(new Uri("/boom", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetInt32().Should().Be(500);
        body.Should().NotContain("secret internals").And.NotContain("Atlas.Boom").And.NotContain("   at ");
    }
}
