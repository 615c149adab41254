using Atlas.ServiceDefaults.Redaction;
using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>What a provider behind a <see cref="RedactingLoggerFactory"/> receives.</summary>
public sealed class LogRedaction : IDisposable
{
    private readonly CapturingLoggerProvider _provider = new();
    private readonly RedactingLoggerFactory _factory;
    private readonly ILogger _logger;

    public LogRedaction()
    {
        var inner = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddProvider(_provider));
        _factory = new RedactingLoggerFactory(inner, new SecretRedactor(["configured-s3cret"]));
        _logger = _factory.CreateLogger("Atlas.Tests");
    }

    private CapturedLogEntry Entry => _provider.Entries.Should().ContainSingle().Subject;

    [Fact]
    public void Redacts_the_formatted_message()
    {
        RedactionTestLog.Calling(_logger, TestSecrets.BotUrl);

        Entry.Message.Should().Be($"Calling {TestSecrets.RedactedBotUrl}");
    }

    [Fact]
    public void Passes_state_whose_text_is_the_redacted_message()
    {
        RedactionTestLog.Calling(_logger, TestSecrets.BotUrl);

        Entry.State!.ToString().Should().Be($"Calling {TestSecrets.RedactedBotUrl}");
    }

    [Fact]
    public void Redacts_string_state_values_and_keeps_plain_data_typed()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        RedactionTestLog.UserSentHeader(_logger, 42L, "Bearer abc123", at, true, DayOfWeek.Friday);

        Entry.Value("Header").Should().Be("Bearer ***");
        Entry.Value("UserId").Should().Be(42L);
        Entry.Value("At").Should().Be(at);
        Entry.Value("Retried").Should().Be(true);
        Entry.Value("Day").Should().Be(DayOfWeek.Friday);
    }

    [Fact]
    public void Redacts_a_uri_state_value_through_its_text()
    {
        var url = new Uri(TestSecrets.BotUrl);

        RedactionTestLog.CallingUri(_logger, url);

        Entry.Value("Url").Should().Be(TestSecrets.RedactedBotUrl);
    }

    [Fact]
    public void Redacts_the_items_of_a_sequence_state_value()
    {
        // Source-generated log methods flatten sequences to text; a hand-built state keeps the array.
        string[] urls = [TestSecrets.BotUrl, "https://example.com/"];
        KeyValuePair<string, object?>[] state = [new("Urls", urls)];

        _logger.Log(LogLevel.Information, default, state, null, static (_, _) => "Tried several URLs");

        Entry.Value("Urls").Should().BeEquivalentTo(new[] { TestSecrets.RedactedBotUrl, "https://example.com/" });
    }

    [Fact]
    public void Keeps_a_template_with_placeholders_as_it_is()
    {
        RedactionTestLog.Calling(_logger, TestSecrets.BotUrl);

        Entry.Value("{OriginalFormat}").Should().BeSameAs(RedactionTestLog.CallingTemplate);
    }

    [Fact]
    public void Redacts_a_template_that_holds_a_secret()
    {
        RedactionTestLog.CallingHardCodedBotUrl(_logger);

        Entry.Value("{OriginalFormat}").Should().Be($"Calling {TestSecrets.RedactedBotUrl}");
    }

    [Fact]
    public void Redacts_configured_secret_values()
    {
        RedactionTestLog.Rejected(_logger, "configured-s3cret");

        Entry.Message.Should().Be("Rejected ***");
        Entry.Value("Value").Should().Be("***");
    }

    [Fact]
    public void Replaces_an_exception_whose_text_holds_a_secret()
    {
        var original = Thrown(new HttpRequestException($"GET {TestSecrets.BotUrl} failed"));

        RedactionTestLog.CallFailed(_logger, original);

        var redacted = Entry.Exception.Should().BeOfType<RedactedException>().Subject;
        redacted.OriginalTypeName.Should().Be("System.Net.Http.HttpRequestException");
        redacted.Message.Should().Be($"GET {TestSecrets.RedactedBotUrl} failed");
        redacted.ToString().Should().StartWith($"System.Net.Http.HttpRequestException: GET {TestSecrets.RedactedBotUrl} failed")
            .And.Contain(nameof(Thrown))
            .And.NotContain(TestSecrets.BotToken);
        redacted.StackTrace.Should().Be(original.StackTrace);
    }

    [Fact]
    public void Redacts_the_inner_exception_of_a_replaced_exception()
    {
        var original = new InvalidOperationException(
            "Connection failed",
            new ArgumentException("Password=s3cr3t is wrong"));

        RedactionTestLog.CallFailed(_logger, original);

        var redacted = Entry.Exception.Should().BeOfType<RedactedException>().Subject;
        redacted.Message.Should().Be("Connection failed");
        redacted.InnerException!.Message.Should().Be("Password=*** is wrong");
        redacted.ToString().Should().NotContain("s3cr3t");
    }

    [Fact]
    public void Passes_an_exception_without_secrets_through_unchanged()
    {
        var original = Thrown(new InvalidOperationException("Queue is empty"));

        RedactionTestLog.CallFailed(_logger, original);

        Entry.Exception.Should().BeSameAs(original);
    }

    [Fact]
    public void Redacts_the_state_of_a_scope()
    {
        using (RedactionTestLog.BeginWebhookScope(_logger, 42, "Bearer abc123"))
        {
            RedactionTestLog.Handled(_logger);
        }

        var scope = Entry.Scopes.Should().ContainSingle().Subject
            .Should().BeAssignableTo<IReadOnlyList<KeyValuePair<string, object?>>>().Subject;
        scope.Should().Contain(new KeyValuePair<string, object?>("Header", "Bearer ***"))
            .And.Contain(new KeyValuePair<string, object?>("Sender", 42));
        scope.ToString().Should().Be("Webhook from 42 with Bearer ***");
    }

    [Fact]
    public void Reads_a_scope_only_when_an_entry_is_written_inside_it_and_redacts_it_once()
    {
        var quiet = new CountingScope("Bearer quiet-token");
        var busy = new CountingScope("Bearer busy-token");

        using (_logger.BeginScope(quiet))
        {
            RedactionTestLog.Debugging(_logger, "below the minimum level");
        }

        using (_logger.BeginScope(busy))
        {
            RedactionTestLog.Handled(_logger);
            RedactionTestLog.Handled(_logger);
        }

        var entries = _provider.Entries;
        entries.Should().HaveCount(2);
        foreach (var entry in entries)
        {
            var scope = entry.Scopes.Should().ContainSingle().Subject
                .Should().BeAssignableTo<IReadOnlyList<KeyValuePair<string, object?>>>().Subject;
            scope.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, object?>("Header", "Bearer ***"));
            scope.ToString().Should().Be("Header Bearer ***");
        }

        quiet.Reads.Should().Be(0);
        busy.Reads.Should().Be(2, "the values once and the text once, however many entries read the scope");
    }

    [Fact]
    public void Redacts_a_text_scope()
    {
        using (_logger.BeginScope("amqp://atlas:s3cr3t@rabbit:5672/"))
        {
            RedactionTestLog.Handled(_logger);
        }

        Entry.Scopes.Should().Equal("amqp://atlas:***@rabbit:5672/");
    }

    [Fact]
    public void Does_not_format_an_entry_below_the_minimum_level()
    {
        var formatted = false;

        _logger.Log(LogLevel.Debug, default, "state", null, (state, _) =>
        {
            formatted = true;
            return state;
        });

        formatted.Should().BeFalse();
        _logger.IsEnabled(LogLevel.Debug).Should().BeFalse();
        _logger.IsEnabled(LogLevel.Information).Should().BeTrue();
    }

    public void Dispose() => _factory.Dispose();

    private static TException Thrown<TException>(TException exception)
        where TException : Exception
    {
        try
        {
            throw exception;
        }
        catch (TException caught)
        {
            return caught;
        }
    }

    // A scope state that counts how often its values and its text are read.
    private sealed class CountingScope(string header) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private int _reads;

        public int Reads => _reads;

        public int Count => 1;

        public KeyValuePair<string, object?> this[int index]
        {
            get
            {
                Interlocked.Increment(ref _reads);
                return index == 0 ? new("Header", header) : throw new ArgumentOutOfRangeException(nameof(index));
            }
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString()
        {
            Interlocked.Increment(ref _reads);
            return "Header " + header;
        }
    }
}
