using System.Diagnostics;
using Atlas.ServiceDefaults.Redaction;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>What a processor added after <see cref="RedactingActivityProcessor"/> (an exporter, say) sees.</summary>
public sealed class TraceRedaction : IDisposable
{
    private readonly ActivitySource _source = new($"Atlas.Tests.{Guid.NewGuid():N}");
    private readonly CapturingActivityProcessor _exported = new();

    [Fact]
    public void Redacts_a_bot_token_in_a_url_tag()
    {
        using var tracing = TracerProviderWithRedaction();

        using (var activity = _source.StartActivity("GET"))
        {
            activity!.SetTag("url.full", TestSecrets.BotUrl);
        }

        Exported.Tags["url.full"].Should().Be(TestSecrets.RedactedBotUrl);
    }

    [Fact]
    public void Redacts_the_display_name_and_status_description()
    {
        using var tracing = TracerProviderWithRedaction();

        using (var activity = _source.StartActivity("call"))
        {
            activity!.DisplayName = $"GET {TestSecrets.BotUrl}";
            activity.SetStatus(ActivityStatusCode.Error, "Login failed for Password=s3cr3t");
        }

        Exported.DisplayName.Should().Be($"GET {TestSecrets.RedactedBotUrl}");
        Exported.StatusDescription.Should().Be("Login failed for Password=***");
    }

    [Fact]
    public void Redacts_exception_event_tags()
    {
        using var tracing = TracerProviderWithRedaction();

        using (var activity = _source.StartActivity("call"))
        {
            activity!.AddException(new HttpRequestException($"GET {TestSecrets.BotUrl} failed"));
        }

        var eventTags = Exported.EventTags.Should().ContainSingle().Subject;
        eventTags["exception.message"].Should().Be($"GET {TestSecrets.RedactedBotUrl} failed");
        eventTags.Values.OfType<string>().Should().NotContain(value => value.Contains(TestSecrets.BotToken));
    }

    [Fact]
    public void Redacts_tags_passed_with_an_exception()
    {
        using var tracing = TracerProviderWithRedaction();

        using (var activity = _source.StartActivity("call"))
        {
            var tags = new TagList { { "request.url", TestSecrets.BotUrl } };
            activity!.AddException(new InvalidOperationException("Queue is empty"), tags);
        }

        var eventTags = Exported.EventTags.Should().ContainSingle().Subject;
        eventTags["request.url"].Should().Be(TestSecrets.RedactedBotUrl);
        eventTags["exception.message"].Should().Be("Queue is empty");
    }

    [Fact]
    public void Keeps_tags_without_secrets_as_they_are()
    {
        using var tracing = TracerProviderWithRedaction();

        using (var activity = _source.StartActivity("GET"))
        {
            activity!.SetTag("http.response.status_code", 200);
            activity.SetTag("url.full", "https://example.com/health");
        }

        Exported.Tags["http.response.status_code"].Should().Be(200);
        Exported.Tags["url.full"].Should().Be("https://example.com/health");
    }

    [Theory]
    [InlineData("db.query.text", true)]
    [InlineData("db.statement", true)]
    [InlineData("url.query", true)]
    [InlineData("http.request.header.authorization", true)]
    [InlineData("exception.message", true)]
    [InlineData("telegram.bot_token", true)]
    [InlineData("db.connection_string", true)]
    [InlineData("messaging.destination.name", false)]
    [InlineData("http.route", false)]
    [InlineData("messaging.masstransit.message_types", false)]
    public void Only_tags_that_can_carry_a_secret_go_through_the_redactor(string key, bool redacted)
    {
        using var tracing = TracerProviderWithRedaction();

        using (var activity = _source.StartActivity("work"))
        {
            activity!.SetTag(key, $"value with {TestSecrets.BotToken}");
        }

        // The keys that are left alone name things (routes, queues, message types) that never hold a secret.
        var value = Exported.Tags[key].Should().BeOfType<string>().Subject;
        if (redacted)
        {
            value.Should().StartWith("value with ").And.NotContain(TestSecrets.BotToken);
        }
        else
        {
            value.Should().Be($"value with {TestSecrets.BotToken}", "the redactor was not run for this key");
        }
    }

    [Fact]
    public void Uses_the_redactor_built_from_the_host_configuration()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection([new("Telegram:WebhookSecret", "webhook-s3cret")]);
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(_source.Name)
            .AddSecretRedaction()
            .AddProcessor(_exported));
        using var host = builder.Build();
        _ = host.Services.GetRequiredService<TracerProvider>();

        using (var activity = _source.StartActivity("POST"))
        {
            activity!.SetTag("http.request.header.x-telegram-bot-api-secret-token", "webhook-s3cret");
        }

        Exported.Tags["http.request.header.x-telegram-bot-api-secret-token"].Should().Be("***");
    }

    public void Dispose() => _source.Dispose();

    private CapturedActivity Exported => _exported.Activities.Should().ContainSingle().Subject;

    private TracerProvider TracerProviderWithRedaction() => Sdk.CreateTracerProviderBuilder()
        .AddSource(_source.Name)
        .AddSecretRedaction()
        .AddProcessor(_exported)
        .Build();
}
