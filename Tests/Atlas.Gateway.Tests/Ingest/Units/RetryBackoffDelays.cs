using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Telegram.Ingest;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace Atlas.Gateway.Tests.Ingest.Units;

/// <summary>The receivers' wait after a failed Telegram call: retry_after with a margin on a 429, capped; exponential with jitter otherwise.</summary>
public sealed class RetryBackoffDelays
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_flood_wait_waits_a_little_longer_than_retry_after_so_the_next_call_is_never_early()
    {
        var backoff = new RetryBackoff(Base, Max, maxFloodWait: TimeSpan.FromMinutes(5));

        var delay = backoff.NextDelay(FloodWait(seconds: 2));

        delay.Should().BeGreaterThan(TimeSpan.FromSeconds(2)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(2) + TelegramErrors.FloodWaitMargin);
    }

    [Fact]
    public void A_flood_wait_beyond_the_cap_waits_the_cap()
    {
        var backoff = new RetryBackoff(Base, Max, maxFloodWait: TimeSpan.FromSeconds(10));

        backoff.NextDelay(FloodWait(seconds: 3600)).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Other_failures_back_off_exponentially_within_jitter_and_start_over_after_a_success()
    {
        var backoff = new RetryBackoff(Base, Max, maxFloodWait: TimeSpan.FromMinutes(5));
        var failure = new HttpRequestException("connection refused");

        var delays = Enumerable.Range(0, 7).Select(_ => backoff.NextDelay(failure)).ToList();
        backoff.Reset();
        var afterReset = backoff.NextDelay(failure);

        double[] nominal = [1, 2, 4, 8, 16, 30, 30];
        for (var i = 0; i < delays.Count; i++)
        {
            delays[i].TotalSeconds.Should().BeInRange(nominal[i] / 2, nominal[i], $"failure {i + 1} is half fixed, half random of {nominal[i]} s");
        }

        afterReset.Should().BeLessThanOrEqualTo(Base);
    }

    private static ApiRequestException FloodWait(int seconds) =>
        new($"Too Many Requests: retry after {seconds}", 429, new ResponseParameters { RetryAfter = seconds });
}
