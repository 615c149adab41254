using System.Globalization;
using Atlas.ServiceDefaults.Migrations;
using Atlas.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Atlas.ServiceDefaults.Tests.Migrations;

/// <summary>While PostgreSQL does not answer at start, migration retries on the service's clock, then fails start with the reason.</summary>
public sealed class MigrationStartupTests
{
    [Fact]
    public async Task Retries_an_unreachable_server_250_ms_doubling_to_5_s_and_fails_start_after_60_s()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 5, 0, 0, TimeSpan.Zero));
        var logger = new DelayRecorder();
        await using var dataSource = NpgsqlDataSource.Create(
            $"Host=127.0.0.1;Port={Atlas.AppHost.Hosting.FreePort.Next()};Username=atlas;Password=x;Database=none;Timeout=5");
        var service = new MigrationHostedService(
            new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance), typeof(MigrationStartupTests).Assembly, clock, logger);

        var start = service.StartAsync(CancellationToken.None);
        await Eventually.PollAsync(() => Advance(clock, logger.Delays.Count), count => count >= 7);
        clock.Advance(TimeSpan.FromSeconds(60));
        await Eventually.PollAsync(() => Advance(clock, start.IsCompleted), done => done);

        await start.Awaiting(s => s).Should().ThrowAsync<NpgsqlException>();
        logger.Delays.Take(7).Should().Equal(250, 500, 1000, 2000, 4000, 5000, 5000);
        logger.Delays.Should().OnlyContain(d => d <= 5000);
    }

    private static Task<T> Advance<T>(FakeTimeProvider clock, T value)
    {
        clock.Advance(TimeSpan.FromMilliseconds(500));
        return Task.FromResult(value);
    }

    private sealed class DelayRecorder : ILogger<MigrationHostedService>
    {
        private readonly List<double> _delays = [];

        public IReadOnlyList<double> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "DelayMs").Value is { } delay)
            {
                lock (_delays)
                {
                    _delays.Add(Convert.ToDouble(delay, CultureInfo.InvariantCulture));
                }
            }
        }
    }
}
