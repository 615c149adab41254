using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Telegram.Resilience;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Polly.Timeout;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Atlas.Gateway.Tests.Resilience;

/// <summary>
/// The one pipeline of the gateway's Bot API calls against the Sandbox, on a fake clock: retry_after is honoured to
/// the margin, 5xx backs off with jitter, a brief call hands long flood waits back, attempts time out on our clock,
/// and the HttpClient underneath never retries on its own although ServiceDefaults' standard handler is configured.
/// </summary>
public sealed class TelegramResiliencePipeline(OutboundSandbox fixture) : IClassFixture<OutboundSandbox>
{
    private SandboxHost Sandbox => fixture.Sandbox;

    [Fact]
    public async Task A_429_is_called_again_exactly_when_retry_after_and_the_margin_have_passed()
    {
        var (bot, host) = await StartAsync();
        using var _ = host;
        await Sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("getMe", 429, RetryAfter: 3));

        var call = host.Pipeline.ExecuteAsync("getMe", TelegramRetry.UntilStopped, (client, ct) => client.GetMe(ct), CancellationToken.None);
        var delay = await host.RetryDelayAsync(1);
        delay.Should().Be(TimeSpan.FromSeconds(3) + TelegramErrors.FloodWaitMargin);

        host.Time.Advance(delay - TimeSpan.FromMilliseconds(1));
        call.IsCompleted.Should().BeFalse("the retry waits on the pipeline's clock, and that has not reached retry_after plus the margin");
        (await GetMeCallsAsync(bot)).Should().ContainSingle();

        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        (await call.WaitAsync(TimeSpan.FromSeconds(20))).Username.Should().Be(bot.Username);
        (await GetMeCallsAsync(bot)).Select(c => c.ErrorCode).Should().Equal(429, null);
    }

    [Fact]
    public async Task A_call_that_is_not_retried_reaches_Telegram_once_although_the_standard_handler_is_configured_for_every_client()
    {
        var (bot, host) = await StartAsync();
        using var _ = host;
        await Sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("getMe", 502, Description: "Bad Gateway"));

        // Bounded: a hidden retry would wait on the fake clock, which nobody moves here.
        var call = () => host.Pipeline.ExecuteAsync("getMe", TelegramRetry.None, (client, ct) => client.GetMe(ct), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(20));

        (await call.Should().ThrowAsync<ApiRequestException>()).Which.ErrorCode.Should().Be(502);
        (await GetMeCallsAsync(bot)).Should().ContainSingle("a second call would be a retry the pipeline did not decide");
    }

    [Fact]
    public async Task Server_errors_back_off_exponentially_with_jitter_until_the_call_succeeds()
    {
        var (bot, host) = await StartAsync(("BaseDelay", "00:00:02"), ("MaxDelay", "00:00:30"));
        using var _ = host;
        await Sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("getMe", 500, Count: 2));

        var call = host.Pipeline.ExecuteAsync("getMe", TelegramRetry.UntilStopped, (client, ct) => client.GetMe(ct), CancellationToken.None);
        var delays = await host.AdvanceThroughRetriesAsync(2);

        (await call.WaitAsync(TimeSpan.FromSeconds(20))).Id.Should().NotBe(0);
        delays[0].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
        delays[1].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(4));
        (await GetMeCallsAsync(bot)).Should().HaveCount(3, "two failed calls and the one that succeeded");
    }

    [Fact]
    public async Task An_attempt_that_hangs_is_cut_by_the_attempt_timeout_on_the_pipelines_clock()
    {
        var (bot, host) = await StartAsync(("AttemptTimeout", "00:00:05"));
        using var _ = host;
        await Sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("getMe", 200, DelayMs: 120_000));

        var call = host.Pipeline.ExecuteAsync("getMe", TelegramRetry.None, (client, ct) => client.GetMe(ct), CancellationToken.None);
        await Eventually.PollAsync(() => Sandbox.Telegram.GetFaultsAsync(bot.Token), faults => faults.Count == 0, TimeSpan.FromSeconds(20));
        host.Time.Advance(TimeSpan.FromSeconds(4.9));
        call.IsCompleted.Should().BeFalse();

        host.Time.Advance(TimeSpan.FromMilliseconds(100));
        await call.Awaiting(c => c.WaitAsync(TimeSpan.FromSeconds(20))).Should().ThrowAsync<TimeoutRejectedException>();
        new TimeoutRejectedException().IsTransientTelegramFailure().Should().BeTrue("a timed-out attempt is retried like a network failure");
    }

    [Fact]
    public async Task Flood_waits_are_capped_for_the_callers_that_wait_until_they_are_stopped()
    {
        var (_, host) = await StartAsync(("MaxFloodWait", "00:00:10"));
        using var __ = host;

        host.Pipeline.DelayAfter(FloodWait(3600), attempt: 0).Should().Be(TimeSpan.FromSeconds(10));
        host.Pipeline.DelayAfter(FloodWait(2), attempt: 5).Should().Be(TimeSpan.FromSeconds(2) + TelegramErrors.FloodWaitMargin);
        TelegramResilience.Backoff(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30))
            .Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(15)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(30));
    }

    private async Task<(SandboxBot Bot, TelegramResilienceHost Host)> StartAsync(params (string Key, string Value)[] resilience)
    {
        var bot = await Sandbox.Telegram.CreateBotAsync();
        return (bot, new TelegramResilienceHost(Sandbox.BaseUrl, bot.Token, resilience));
    }

    private async Task<IReadOnlyList<SandboxAction>> GetMeCallsAsync(SandboxBot bot) =>
        await Sandbox.Telegram.GetActionsAsync(bot.Token, method: "getMe", includeReads: true);

    private static ApiRequestException FloodWait(int seconds) =>
        new($"Too Many Requests: retry after {seconds}", 429, new global::Telegram.Bot.Types.ResponseParameters { RetryAfter = seconds });
}
