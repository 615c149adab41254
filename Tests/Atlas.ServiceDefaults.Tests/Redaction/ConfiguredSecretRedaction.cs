using Atlas.ServiceDefaults.Redaction;
using Microsoft.Extensions.Configuration;

namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>Which configuration values <see cref="SecretRedactor.FromConfiguration"/> treats as secrets.</summary>
public sealed class ConfiguredSecretRedaction
{
    [Theory]
    [InlineData("Telegram:BotToken")]
    [InlineData("Telegram:WebhookSecret")]
    [InlineData("LlmRouter:OpenAI:ApiKey")]
    [InlineData("Backup:Password")]
    [InlineData("Signing:Key")]
    [InlineData("LUKA_PASSWORD")]
    [InlineData("BOT_TOKEN")]
    [InlineData("WEBHOOK_SECRET")]
    public void Redacts_the_value_of_a_key_named_like_a_secret(string key)
    {
        var redactor = RedactorFor((key, "plain-value-1"));

        redactor.Redact("saw plain-value-1 in a reply").Should().Be("saw *** in a reply");
    }

    [Theory]
    [InlineData("Telegram:KeyPrefix")]
    [InlineData("Telegram:TokenLifetime")]
    [InlineData("Telegram:BotToken:Description")]
    [InlineData("Llm:MaxTokens")]
    public void Leaves_the_value_of_a_key_that_only_contains_a_secret_word(string key)
    {
        var redactor = RedactorFor((key, "plain-value-1"));

        redactor.KnownSecretCount.Should().Be(0);
        redactor.Redact("saw plain-value-1").Should().Be("saw plain-value-1");
    }

    [Fact]
    public void Redacts_every_value_under_parameters()
    {
        var redactor = RedactorFor(("Parameters:rabbit-user", "atlas-admin"));

        redactor.Redact("user atlas-admin connected").Should().Be("user *** connected");
    }

    [Fact]
    public void Redacts_the_password_of_an_npgsql_connection_string()
    {
        var redactor = RedactorFor(("ConnectionStrings:gatewaydb", "Host=db;Username=atlas;Password=pg-s3cret;Database=gatewaydb"));

        redactor.Redact("authentication failed with pg-s3cret").Should().Be("authentication failed with ***");
        redactor.Redact("user atlas on gatewaydb").Should().Be("user atlas on gatewaydb");
    }

    [Fact]
    public void Redacts_the_password_of_a_redis_connection_string()
    {
        var redactor = RedactorFor(("ConnectionStrings:redis", "cache:6379,password=redis-s3cret,ssl=false"));

        redactor.Redact("AUTH redis-s3cret").Should().Be("AUTH ***");
    }

    [Fact]
    public void Redacts_the_password_of_an_amqp_uri_also_when_decoded()
    {
        var redactor = RedactorFor(("ConnectionStrings:rabbit", "amqp://atlas:rabbit%40s3cret@rabbit:5672/"));

        redactor.Redact("PLAIN atlas rabbit%40s3cret").Should().Be("PLAIN atlas ***");
        redactor.Redact("PLAIN atlas rabbit@s3cret").Should().Be("PLAIN atlas ***");
    }

    [Fact]
    public void Leaves_boolean_flags_named_like_secrets()
    {
        var redactor = RedactorFor(("Auth:RequireApiKey", "true"));

        redactor.Redact("enabled=true").Should().Be("enabled=true");
    }

    [Fact]
    public void Ignores_secret_values_shorter_than_four_characters()
    {
        var redactor = RedactorFor(("Telegram:BotToken", "abc"));

        redactor.KnownSecretCount.Should().Be(0);
        redactor.Redact("abc").Should().Be("abc");
    }

    private static SecretRedactor RedactorFor(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();

        return SecretRedactor.FromConfiguration(configuration);
    }
}
