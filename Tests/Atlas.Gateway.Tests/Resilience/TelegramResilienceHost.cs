using Atlas.Gateway.Telegram;
using Atlas.Testing;
using Atlas.Gateway.Telegram.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Gateway.Tests.Resilience;

/// <summary>
/// The gateway's Bot API registration on a fake clock, pointed at a Sandbox bot, with the standard resilience handler
/// configured for every HttpClient the way ServiceDefaults does it: what the pipeline does is all that may happen.
/// Retry log lines are collected: each is written just before its delay starts on the fake clock, and names the delay.
/// </summary>
internal sealed class TelegramResilienceHost : IDisposable
{
    private readonly IHost _host;

    public TelegramResilienceHost(Uri apiBaseUrl, string token, params (string Key, string Value)[] resilience)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        var settings = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = apiBaseUrl.ToString(),
        };
        foreach (var (key, value) in resilience)
        {
            settings[$"{TelegramResilienceOptions.SectionName}:{key}"] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        builder.Logging.AddProvider(Retries);
        builder.AddTelegramBotApi();
        _host = builder.Build();
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public RetryLog Retries { get; } = new();

    public TelegramResilience Pipeline => _host.Services.GetRequiredService<TelegramResilience>();

    /// <summary>Waits until retry <paramref name="number"/> (1 = first) has begun its delay; returns that delay.</summary>
    public async Task<TimeSpan> RetryDelayAsync(int number) =>
        (await Eventually.PollAsync(() => Task.FromResult(Retries.Delays), delays => delays.Count >= number, TimeSpan.FromSeconds(20)))[number - 1];

    /// <summary>Lets each of <paramref name="retries"/> retries happen by moving the fake clock over its delay; returns the delays.</summary>
    public async Task<IReadOnlyList<TimeSpan>> AdvanceThroughRetriesAsync(int retries)
    {
        var delays = new List<TimeSpan>();
        for (var number = 1; number <= retries; number++)
        {
            var delay = await RetryDelayAsync(number);
            delays.Add(delay);
            Time.Advance(delay);
        }

        return delays;
    }

    public void Dispose() => _host.Dispose();

    /// <summary>The delays of the gateway's "retrying in" log lines (event 1034), in order.</summary>
    internal sealed class RetryLog : ILoggerProvider, ILogger
    {
        private readonly List<TimeSpan> _delays = [];

        public IReadOnlyList<TimeSpan> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 1034 && state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "Delay").Value is TimeSpan delay)
            {
                lock (_delays)
                {
                    _delays.Add(delay);
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
