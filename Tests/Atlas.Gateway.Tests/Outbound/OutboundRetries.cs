using Atlas.AppHost.Hosting;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>Server errors and network failures: retried with growing, jittered backoff (parked past the horizon), never lost.</summary>
public sealed class OutboundRetries(OutboundSandbox fixture) : IClassFixture<OutboundSandbox>
{
    [Fact]
    public async Task Retries_5xx_answers_with_growing_backoff_and_finally_delivers_once()
    {
        var options = OutboundScenario.Fast(("RetryBaseDelay", "00:00:00.200"), ("RetryMaxDelay", "00:00:05"));
        await using var scenario = await OutboundScenario.StartAsync(fixture, options, SandboxLimits.Unlimited);
        using var metrics = new GatewayMetricsProbe(scenario.Running.Services);
        await scenario.AddChatsAsync(701);
        await scenario.Telegram.AddFaultAsync(scenario.Token, new SandboxFault("sendMessage", 500, Count: 2));
        await scenario.Telegram.AddFaultAsync(scenario.Token, new SandboxFault("sendMessage", 502, Count: 1));

        await scenario.EnqueueAsync("retry:0", 701, "eventually");

        var sends = await scenario.WaitForDeliveredAsync(1);
        sends.Select(a => a.ErrorCode).Should().Equal(500, 500, 502, null);
        // Backoff n is between half and all of 200 ms * 2^(n-1): at least 100, 200 and 400 ms.
        (sends[1].At - sends[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100));
        (sends[2].At - sends[1].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200));
        (sends[3].At - sends[2].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400));
        (await scenario.TextsInAsync(701)).Should().Equal("eventually");
        metrics.Outcome("retried").Should().Be(3);
        metrics.Outcome("sent").Should().Be(1);
    }

    [Fact]
    public async Task A_message_failing_past_the_retry_horizon_is_parked_and_still_delivered()
    {
        var options = OutboundScenario.Fast(
            ("RetryBaseDelay", "00:00:00.100"), ("RetryHorizon", "00:00:00"), ("ParkedRetryInterval", "00:00:01"));
        await using var scenario = await OutboundScenario.StartAsync(fixture, options, SandboxLimits.Unlimited);
        using var metrics = new GatewayMetricsProbe(scenario.Running.Services);
        await scenario.AddChatsAsync(702);
        await scenario.Telegram.AddFaultAsync(scenario.Token, new SandboxFault("sendMessage", 503, Count: 2));

        await scenario.EnqueueAsync("horizon:0", 702, "patience");

        var sends = await scenario.WaitForDeliveredAsync(1);
        sends.Select(a => a.ErrorCode).Should().Equal(503, 503, null);
        (sends[1].At - sends[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "a parked message waits ParkedRetryInterval");
        metrics.Outcome("parked").Should().Be(2);
        await scenario.WaitForEmptyQueueAsync(); // the send is recorded (popped and unparked in one step) just after the Sandbox has it
        (await scenario.Store.ParkedAsync(CancellationToken.None)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_message_that_could_not_reach_telegram_is_kept_and_sent_after_a_restart_with_its_retry_state()
    {
        var options = OutboundScenario.Fast(("RetryBaseDelay", "00:00:00.050"), ("RetryMaxDelay", "00:00:00.200"));
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await using var scenario = await OutboundScenario.StartAsync(fixture, options, SandboxLimits.Unlimited, apiBaseUrl: closed);
        await scenario.AddChatsAsync(703);

        await scenario.EnqueueAsync("network:0", 703, "after the outage");
        using (var metrics = new GatewayMetricsProbe(scenario.Running.Services))
        {
            await Eventually.PollAsync(() => Task.FromResult(metrics.Outcome("retried")), n => n >= 3, TimeSpan.FromSeconds(10));
        }

        (await scenario.Store.DepthAsync(CancellationToken.None)).Should().Be(1);
        var head = QueuedMessage.TryDeserialize((await scenario.Store.PeekAsync(703, CancellationToken.None))!);
        head!.Attempts.Should().BeGreaterThanOrEqualTo(3);
        head.FailingSince.Should().NotBeNull();
        await scenario.RestartAsync(fixture.Sandbox.BaseUrl);

        await scenario.WaitForDeliveredAsync(1);
        (await scenario.SendsAsync()).Should().ContainSingle();
        (await scenario.TextsInAsync(703)).Should().Equal("after the outage");
    }
}
