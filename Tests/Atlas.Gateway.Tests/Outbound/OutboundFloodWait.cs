using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>Telegram's 429 Too Many Requests: retry_after is honoured for the chat, counted, and beyond the cap the message is parked, not dropped.</summary>
public sealed class OutboundFloodWait(OutboundSandbox fixture) : IClassFixture<OutboundSandbox>
{
    [Fact]
    public async Task A_429_with_retry_after_3_delays_the_next_send_to_that_chat_by_at_least_3_s()
    {
        await using var scenario = await OutboundScenario.StartAsync(fixture, OutboundScenario.Fast(), SandboxLimits.Unlimited);
        using var metrics = new GatewayMetricsProbe(scenario.Running.Services);
        await scenario.AddChatsAsync(601);
        await scenario.Telegram.AddFaultAsync(scenario.Token, new SandboxFault("sendMessage", 429, RetryAfter: 3, Count: 1));

        await scenario.EnqueueAsync("flood:0", 601, "first");
        await scenario.EnqueueAsync("flood:1", 601, "second");

        var sends = await scenario.WaitForDeliveredAsync(2);
        sends.Should().HaveCount(3);
        sends[0].ErrorCode.Should().Be(429);
        sends[0].RetryAfter.Should().Be(3);
        (sends[1].At - sends[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3));
        (await scenario.TextsInAsync(601)).Should().Equal("first", "second");
        metrics.FloodWaits.Should().Be(1);
        metrics.Outcome("retried").Should().Be(1);
        metrics.Outcome("sent").Should().Be(2);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_cap_parks_the_message_and_sends_it_when_telegram_allows()
    {
        var options = OutboundScenario.Fast(("MaxRetryAfter", "00:00:01"));
        await using var scenario = await OutboundScenario.StartAsync(fixture, options, SandboxLimits.Unlimited);
        using var metrics = new GatewayMetricsProbe(scenario.Running.Services);
        await scenario.AddChatsAsync(602);
        await scenario.Telegram.AddFaultAsync(scenario.Token, new SandboxFault("sendMessage", 429, RetryAfter: 2, Count: 1));

        await scenario.EnqueueAsync("park:0", 602, "parked one");
        var parked = await Eventually.PollAsync(() => scenario.Store.ParkedAsync(CancellationToken.None), p => p.Count == 1, TimeSpan.FromSeconds(10));
        parked[0].ChatId.Should().Be(602);
        (await scenario.Store.DepthAsync(CancellationToken.None)).Should().Be(1, "a parked message stays queued");
        metrics.Outcome("parked").Should().Be(1);
        metrics.FloodWaits.Should().Be(1);

        var sends = await scenario.WaitForDeliveredAsync(1);
        (sends[1].At - sends[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2));
        (await scenario.TextsInAsync(602)).Should().Equal("parked one");
        await scenario.WaitForEmptyQueueAsync(); // the send is recorded (popped and unparked in one step) just after the Sandbox has it
        (await scenario.Store.ParkedAsync(CancellationToken.None)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_parked_message_is_sent_by_the_next_gateway_after_a_restart()
    {
        var options = OutboundScenario.Fast(("MaxRetryAfter", "00:00:01"));
        await using var scenario = await OutboundScenario.StartAsync(fixture, options, SandboxLimits.Unlimited);
        await scenario.AddChatsAsync(603);
        await scenario.Telegram.AddFaultAsync(scenario.Token, new SandboxFault("sendMessage", 429, RetryAfter: 2, Count: 1));

        await scenario.EnqueueAsync("park-restart:0", 603, "survives");
        await Eventually.PollAsync(() => scenario.Store.ParkedAsync(CancellationToken.None), p => p.Count == 1, TimeSpan.FromSeconds(10));
        await scenario.RestartAsync();

        await scenario.WaitForDeliveredAsync(1);
        (await scenario.TextsInAsync(603)).Should().Equal("survives");
    }
}
