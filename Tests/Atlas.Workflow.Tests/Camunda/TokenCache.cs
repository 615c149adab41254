using System.Collections.Concurrent;
using Atlas.Testing.Sandbox;
using Atlas.Workflow.Camunda;
using Atlas.Workflow.Camunda.Auth;
using Atlas.Workflow.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Workflow.Tests.Camunda;

/// <summary>
/// The OAuth token is fetched once, reused, and replaced max(30 s, 5 % of its lifetime) before it expires, on a fake
/// clock the Sandbox's token endpoint shares; the token never appears in a log line.
/// </summary>
public sealed class TokenCache : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<string> _logs = new();
    private SandboxHost _sandbox = null!;
    private HttpClient _http = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(configureServices: s => s.AddSingleton<TimeProvider>(_time));
        _http = new HttpClient { BaseAddress = _sandbox.BaseUrl };
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new CollectingLoggerProvider(_logs)));
        services.AddSingleton<TimeProvider>(_time);
        services.AddHttpClient(OAuthTokenProvider.HttpClientName);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mode"] = nameof(CamundaAuthMode.OAuth),
            ["TokenUrl"] = new Uri(_sandbox.BaseUrl, "camunda/oauth/token").ToString(),
            ["ClientId"] = "atlas-workflow",
            ["ClientSecret"] = "sandbox-secret",
            ["Audience"] = "orchestration-api",
        }).Build();
        services.AddOptions<CamundaAuthOptions>().Bind(configuration);
        services.AddSingleton<OAuthTokenProvider>();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task A_one_hour_token_is_reused_until_three_minutes_before_expiry_then_replaced()
    {
        var tokens = _services.GetRequiredService<OAuthTokenProvider>();
        var control = new CamundaControl(_http);

        var first = await tokens.GetTokenAsync(CancellationToken.None);
        var again = await tokens.GetTokenAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3600 - 180 - 1));
        var beforeRefresh = await tokens.GetTokenAsync(CancellationToken.None);
        var issuedBefore = (await control.AuthAsync()).GetProperty("tokensIssued").GetInt32();
        _time.Advance(TimeSpan.FromSeconds(2));
        var refreshed = await tokens.GetTokenAsync(CancellationToken.None);

        again.Should().Be(first);
        beforeRefresh.Should().Be(first);
        issuedBefore.Should().Be(1);
        refreshed.Should().NotBe(first);
        (await control.AuthAsync()).GetProperty("tokensIssued").GetInt32().Should().Be(2);
        _logs.Should().NotContain(line => line.Contains(first, StringComparison.Ordinal) || line.Contains(refreshed, StringComparison.Ordinal));
        _logs.Should().NotContain(line => line.Contains("sandbox-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_short_token_is_replaced_thirty_seconds_before_expiry()
    {
        var tokens = _services.GetRequiredService<OAuthTokenProvider>();
        await new CamundaControl(_http).SettingsAsync(tokenLifetimeSeconds: 120);

        var first = await tokens.GetTokenAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(89));
        var kept = await tokens.GetTokenAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        var replaced = await tokens.GetTokenAsync(CancellationToken.None);

        kept.Should().Be(first);
        replaced.Should().NotBe(first);
        tokens.RefreshAt.Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(90));
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(lines);

        public void Dispose()
        {
        }

        private sealed class Collector(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
