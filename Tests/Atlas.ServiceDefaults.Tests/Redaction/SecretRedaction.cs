using Atlas.ServiceDefaults.Redaction;

namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>What <see cref="SecretRedactor.Redact"/> does to free text.</summary>
public sealed class SecretRedaction
{
    private readonly SecretRedactor _redactor = new();

    [Fact]
    public void Redacts_a_bot_token_inside_a_telegram_url()
    {
        _redactor.Redact(TestSecrets.BotUrl).Should().Be(TestSecrets.RedactedBotUrl);
    }

    [Fact]
    public void Redacts_a_bot_token_in_free_text()
    {
        _redactor.Redact($"token {TestSecrets.BotToken} was revoked")
            .Should().Be("token *** was revoked");
    }

    [Fact]
    public void Redacts_whatever_follows_bot_in_a_url_path_even_when_not_token_shaped()
    {
        _redactor.Redact("POST https://api.telegram.org/botnot-a-real-token/sendMessage")
            .Should().Be("POST https://api.telegram.org/bot***/sendMessage");
    }

    [Theory]
    [InlineData("Host=db;Username=atlas;Password=s3cr3t;Database=gateway", "Host=db;Username=atlas;Password=***;Database=gateway")]
    [InlineData("Host=db;password = s3cr3t", "Host=db;password = ***")]
    [InlineData("Server=db;Pwd=s3cr3t;", "Server=db;Pwd=***;")]
    [InlineData("cache:6379,password=s3cr3t,ssl=True", "cache:6379,password=***,ssl=True")]
    [InlineData("Host=db;Password='with;semicolon';Port=5432", "Host=db;Password='***';Port=5432")]
    [InlineData("{\"password\":\"s3cr3t\",\"user\":\"atlas\"}", "{\"password\":\"***\",\"user\":\"atlas\"}")]
    [InlineData("login as atlas password=s3cr3t now", "login as atlas password=*** now")]
    public void Redacts_password_settings(string text, string expected)
    {
        _redactor.Redact(text).Should().Be(expected);
    }

    [Theory]
    [InlineData("Authorization: Bearer abc.def", "Authorization: ***")]
    [InlineData("Authorization: Basic eHl6OnBhc3M=\r\nHost: example", "Authorization: ***\r\nHost: example")]
    [InlineData("{\"Authorization\":\"Basic eHl6\",\"Accept\":\"*/*\"}", "{\"Authorization\":\"***\",\"Accept\":\"*/*\"}")]
    [InlineData("Proxy-Authorization: Negotiate abc", "Proxy-Authorization: ***")]
    [InlineData("authorization=Token xyz", "authorization=***")]
    public void Redacts_authorization_header_values(string text, string expected)
    {
        _redactor.Redact(text).Should().Be(expected);
    }

    [Fact]
    public void Redacts_a_bearer_token_anywhere()
    {
        _redactor.Redact("upstream refused Bearer eyJhbGciOi.J9-abc_def/g== with 401")
            .Should().Be("upstream refused Bearer *** with 401");
    }

    [Theory]
    [InlineData("amqp://atlas:s3cr3t@rabbit:5672/", "amqp://atlas:***@rabbit:5672/")]
    [InlineData("redis://:s3cr3t@cache:6379", "redis://:***@cache:6379")]
    [InlineData("connecting to postgres://atlas:p@ss:w0rd@db/gateway now", "connecting to postgres://atlas:***@db/gateway now")]
    public void Redacts_the_password_in_uri_user_info(string text, string expected)
    {
        _redactor.Redact(text).Should().Be(expected);
    }

    [Theory]
    [InlineData("using sk-abcdefghijklmnop1234 for chat", "using *** for chat")]
    [InlineData("key=sk-proj-Abc_def-ghi123456789", "key=***")]
    public void Redacts_openai_style_api_keys(string text, string expected)
    {
        _redactor.Redact(text).Should().Be(expected);
    }

    [Fact]
    public void Redacts_every_secret_in_a_line_that_holds_several()
    {
        var text = $"GET {TestSecrets.BotUrl} Authorization: Bearer abc";

        _redactor.Redact(text).Should().Be($"GET {TestSecrets.RedactedBotUrl} Authorization: ***");
    }

    [Fact]
    public void Returns_the_same_instance_when_the_text_holds_nothing_to_redact()
    {
        var text = string.Concat("Update ", "42 handled in 12 ms");

        _redactor.Redact(text).Should().BeSameAs(text);
    }

    [Theory]
    [InlineData("password policy changed")]
    [InlineData("Authorization failed for user 42")]
    [InlineData("GET https://example.com:443/status")]
    [InlineData("task-abcdefghijklmnopqrstuvwxyz started at 12:34:56")]
    [InlineData("id 123456789:short")]
    [InlineData("sk-short")]
    public void Returns_the_same_instance_when_text_only_looks_like_a_secret(string text)
    {
        _redactor.Redact(text).Should().BeSameAs(text);
    }

    [Fact]
    public void Returns_an_empty_text_as_it_is_and_null_as_empty()
    {
        _redactor.Redact(string.Empty).Should().BeSameAs(string.Empty);
        _redactor.Redact(null).Should().BeSameAs(string.Empty);
    }

    [Fact]
    public void Redacts_known_secret_values_wherever_they_appear()
    {
        var redactor = new SecretRedactor(["hunter2-plain"]);

        redactor.Redact("login with hunter2-plain failed; retrying hunter2-plain")
            .Should().Be("login with *** failed; retrying ***");
    }

    [Fact]
    public void Replaces_a_longer_known_secret_before_a_shorter_one_inside_it()
    {
        var redactor = new SecretRedactor(["abcd", "abcdefgh"]);

        redactor.Redact("value abcdefgh and abcd").Should().Be("value *** and ***");
    }

    [Fact]
    public void Ignores_known_secrets_shorter_than_four_characters()
    {
        var redactor = new SecretRedactor(["abc", null, ""]);

        redactor.KnownSecretCount.Should().Be(0);
        redactor.Redact("abc").Should().Be("abc");
    }

    [Fact]
    public void Returns_the_same_instance_when_no_known_secret_appears()
    {
        var redactor = new SecretRedactor(["hunter2-plain"]);
        var text = string.Concat("nothing ", "secret here");

        redactor.Redact(text).Should().BeSameAs(text);
    }
}
