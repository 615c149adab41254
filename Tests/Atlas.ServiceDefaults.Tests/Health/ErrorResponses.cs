using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atlas.ServiceDefaults.Tests.Redaction;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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

    [Theory]
    [InlineData("/items?limit=abc", "abc", "limit: 'abc' is not a whole number.")]
    [InlineData("/items?limit=5&since=yesterday", "yesterday", "since: 'yesterday' is not a date and time (ISO 8601, e.g. 2026-12-04T10:00:00Z).")]
    [InlineData("/range?chatId=-100x", "-100x", "chatId: '-100x' is not a whole number.")]
    public async Task A_query_value_that_does_not_bind_gets_a_400_naming_the_parameter_the_value_and_what_it_should_be(string path, string value, string expected)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var detail = await ProblemDetailAsync(response, HttpStatusCode.BadRequest);
        detail.Should().Be(expected, "the client is told what the value should be, not the .NET type it binds to");
        var logs = app.Services.GetRequiredService<CapturingLoggerProvider>().Entries;
        logs.Should().ContainSingle(e => e.Level == LogLevel.Information && e.Message.Contains("GET " + path.Split('?')[0], StringComparison.Ordinal) && e.Message.Contains(value, StringComparison.Ordinal));
        logs.Should().NotContain(e => e.Level >= LogLevel.Warning, "a client's mistake is not the service's error");
    }

    [Fact]
    public async Task A_body_value_of_the_wrong_type_gets_a_400_naming_where_it_is_without_namespaces()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.PutAsync(new Uri("/switch", UriKind.Relative), Json("""{"enabled":"yes"}"""));

        var detail = await ProblemDetailAsync(response, HttpStatusCode.BadRequest);
        detail.Should().Contain("$.enabled").And.Contain("could not be converted").And.NotContain("System.").And.NotContain("Atlas.");
        app.Services.GetRequiredService<Switch>().Enabled.Should().BeNull();
    }

    [Fact]
    public async Task A_body_property_the_type_does_not_have_is_refused_rather_than_replaced_by_a_default()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var misspelt = await client.PutAsync(new Uri("/switch", UriKind.Relative), Json("""{"enabld":true}"""));
        using var missing = await client.PutAsync(new Uri("/switch", UriKind.Relative), Json("{}"));
        using var right = await client.PutAsync(new Uri("/switch", UriKind.Relative), Json("""{"enabled":true}"""));

        (await ProblemDetailAsync(misspelt, HttpStatusCode.BadRequest)).Should().Contain("'enabld'").And.Contain("SwitchBody").And.NotContain("Atlas.");
        (await ProblemDetailAsync(missing, HttpStatusCode.BadRequest)).Should().Contain("'enabled'");
        right.StatusCode.Should().Be(HttpStatusCode.OK);
        app.Services.GetRequiredService<Switch>().Enabled.Should().BeTrue("only the well-formed request changed it");
    }

    [Fact]
    public async Task A_body_that_is_broken_json_gets_the_position_and_one_that_is_not_json_a_415()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var broken = await client.PutAsync(new Uri("/switch", UriKind.Relative), Json("""{"enabled":"""));
        using var text = await client.PutAsync(new Uri("/switch", UriKind.Relative), new StringContent("enabled", Encoding.UTF8, "text/plain"));

        (await ProblemDetailAsync(broken, HttpStatusCode.BadRequest)).Should().StartWith("The request body could not be read as JSON. ").And.Contain("line 1");
        text.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        text.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Text_with_a_nul_character_is_refused_where_it_is_and_other_text_and_dictionaries_pass()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var inList = await client.PutAsync(new Uri("/names", UriKind.Relative), Json("""{"names":["ok","b\u0000d"]}"""));
        using var inKey = await client.PutAsync(new Uri("/names", UriKind.Relative), Json("""{"names":[],"labels":{"k\u0000":"v"}}"""));
        using var fine = await client.PutAsync(new Uri("/names", UriKind.Relative), Json("""{"names":["a\\u0000b"],"labels":{"k":"v"}}"""));

        (await ProblemDetailAsync(inList, HttpStatusCode.BadRequest)).Should().Contain("$.names[1]").And.Contain("NUL character");
        (await ProblemDetailAsync(inKey, HttpStatusCode.BadRequest)).Should().Contain("NUL character");
        fine.StatusCode.Should().Be(HttpStatusCode.OK, "a written backslash-u0000 is text, and a dictionary still binds");
        (await fine.Content.ReadFromJsonAsync<NamesBody>())!.Names.Should().Equal(@"a\u0000b");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonSerializer.Deserialize<ProblemDetails>(body)!;
        problem.Status.Should().Be((int)status);
        problem.Title.Should().Be("Invalid request");
        body.Should().NotContain("   at ");
        return problem.Detail!;
    }

    // Production, where ASP.NET Core would otherwise answer a bare 400 and log the reason at Debug only.
    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton<Switch>();
        builder.AddBasicServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/items", (int? limit, DateTimeOffset? since) => TypedResults.Ok(new { limit, since }));
        app.MapGet("/range", ([AsParameters] RangeQuery query) => TypedResults.Ok(query));
        app.MapPut("/names", (NamesBody body) => TypedResults.Ok(body));
        app.MapPut("/switch", (SwitchBody body, Switch current) =>
        {
            current.Enabled = body.Enabled;
            return TypedResults.Ok(body);
        });
        await app.StartAsync();
        return app;
    }

    internal sealed record RangeQuery(long? ChatId);

    internal sealed record NamesBody(IReadOnlyList<string> Names, Dictionary<string, string>? Labels = null);

    internal sealed record SwitchBody([property: JsonRequired] bool Enabled);

    internal sealed class Switch
    {
        public bool? Enabled { get; set; }
    }
}
