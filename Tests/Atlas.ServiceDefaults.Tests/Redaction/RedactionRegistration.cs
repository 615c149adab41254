using Atlas.ServiceDefaults.Redaction;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>How <see cref="RedactionServiceCollectionExtensions.AddSecretRedaction"/> wires redaction into a host.</summary>
public sealed class RedactionRegistration
{
    [Fact]
    public void A_provider_registered_after_redaction_receives_only_redacted_text()
    {
        var provider = new CapturingLoggerProvider();
        var builder = HostBuilderWith(("ConnectionStrings:gatewaydb", "Host=db;Username=atlas;Password=pg-s3cret-value"));
        builder.Services.AddSecretRedaction();
        builder.Logging.AddProvider(provider);
        using var host = builder.Build();

        RedactionTestLog.Connecting(
            host.Services.GetRequiredService<ILogger<RedactionRegistration>>(), "pg-s3cret-value", TestSecrets.BotUrl);

        var entry = provider.Entries.Should().ContainSingle().Subject;
        entry.Message.Should().Be($"Connecting with *** after {TestSecrets.RedactedBotUrl}");
        entry.Values.Select(pair => pair.Value?.ToString()).Should()
            .NotContain(value => value != null && (value.Contains("pg-s3cret-value") || value.Contains(TestSecrets.BotToken)));
    }

    [Fact]
    public void Keeps_filter_rules_written_for_a_specific_provider()
    {
        var provider = new CapturingLoggerProvider();
        var builder = HostBuilderWith(("Logging:Capturing:LogLevel:Default", "Warning"));
        builder.Services.AddSecretRedaction();
        builder.Logging.AddProvider(provider);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILogger<RedactionRegistration>>();

        RedactionTestLog.NotImportant(logger);
        RedactionTestLog.Important(logger);

        provider.Entries.Select(entry => entry.Message).Should().Equal("Important");
    }

    [Fact]
    public void Uses_a_redactor_registered_before_it()
    {
        var provider = new CapturingLoggerProvider();
        var builder = HostBuilderWith();
        builder.Services.AddSingleton(new SecretRedactor(["registered-s3cret"]));
        builder.Services.AddSecretRedaction();
        builder.Logging.AddProvider(provider);
        using var host = builder.Build();

        RedactionTestLog.Rejected(host.Services.GetRequiredService<ILogger<RedactionRegistration>>(), "registered-s3cret");

        provider.Entries.Should().ContainSingle().Which.Message.Should().Be("Rejected ***");
    }

    [Fact]
    public void Decorates_the_logger_factory_once_when_called_twice()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSecretRedaction()
            .AddSecretRedaction();

        using var serviceProvider = services.BuildServiceProvider();

        services.Count(descriptor => descriptor.ServiceType == typeof(ILoggerFactory)).Should().Be(1);
        var factory = serviceProvider.GetRequiredService<ILoggerFactory>().Should().BeOfType<RedactingLoggerFactory>().Subject;
        factory.Inner.Should().BeOfType<LoggerFactory>();
    }

    private static HostApplicationBuilder HostBuilderWith(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(
            settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)));

        // Keep the console quiet; the capturing provider is added after redaction in each test.
        builder.Logging.ClearProviders();
        return builder;
    }
}
