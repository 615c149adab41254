using Atlas.Gateway.Outbound;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>Permanent errors (400, 403): no retry; the message goes to the dead letters with Telegram's reason and the chat's queue moves on.</summary>
public sealed class OutboundDeadLetters(OutboundSandbox fixture) : IClassFixture<OutboundSandbox>
{
    [Fact]
    public async Task A_400_chat_not_found_moves_the_message_to_dead_letters_with_the_reason_without_a_retry()
    {
        await using var scenario = await OutboundScenario.StartAsync(fixture, OutboundScenario.Fast(), SandboxLimits.Unlimited);
        using var metrics = new GatewayMetricsProbe(scenario.Running.Services);
        await scenario.AddChatsAsync(802);

        await scenario.EnqueueAsync("dead:unknown", 801, "nobody is there");
        await scenario.EnqueueAsync("dead:known", 802, "somebody is");

        await scenario.WaitForDeliveredAsync(1);
        var deadLetters = await Atlas.Testing.Eventually.PollAsync(
            () => scenario.Store.DeadLettersAsync(10, CancellationToken.None), d => d.Count == 1, TimeSpan.FromSeconds(10));
        deadLetters[0].ErrorCode.Should().Be(400);
        deadLetters[0].Reason.Should().Contain("chat not found");
        deadLetters[0].Message!.ChatId.Should().Be(801);
        deadLetters[0].Message!.Text.Should().Be("nobody is there");
        (await scenario.SendsAsync()).Where(a => !a.Ok).Should().ContainSingle("a permanent error is not retried");
        await scenario.WaitForEmptyQueueAsync();
        metrics.Outcome("failed").Should().Be(1);
        metrics.Outcome("retried").Should().Be(0);
    }

    [Fact]
    public async Task A_403_from_a_user_who_blocked_the_bot_dead_letters_that_message_and_later_ones_still_go()
    {
        await using var scenario = await OutboundScenario.StartAsync(fixture, OutboundScenario.Fast(), SandboxLimits.Unlimited);
        await scenario.AddChatsAsync(803);
        await scenario.Telegram.SetBlockedAsync(scenario.Token, 803);

        await scenario.EnqueueAsync("blocked:0", 803, "while blocked");
        await Atlas.Testing.Eventually.PollAsync(
            () => scenario.Store.DeadLettersAsync(10, CancellationToken.None), d => d.Count == 1, TimeSpan.FromSeconds(10));
        await scenario.Telegram.SetBlockedAsync(scenario.Token, 803, blocked: false);
        await scenario.EnqueueAsync("blocked:1", 803, "after unblocking");

        await scenario.WaitForDeliveredAsync(1);
        var deadLetter = (await scenario.Store.DeadLettersAsync(10, CancellationToken.None)).Should().ContainSingle().Subject;
        deadLetter.ErrorCode.Should().Be(403);
        deadLetter.Reason.Should().Contain("blocked");
        (await scenario.TextsInAsync(803)).Should().Equal("after unblocking");
    }

    [Fact]
    public async Task A_400_about_markup_telegram_cannot_parse_is_sent_again_as_plain_text_instead_of_dead_lettered()
    {
        await using var scenario = await OutboundScenario.StartAsync(fixture, OutboundScenario.Fast(), SandboxLimits.Unlimited);
        await scenario.AddChatsAsync(804);
        await scenario.Telegram.AddFaultAsync(
            scenario.Token, new SandboxFault("sendMessage", 400, Description: "Bad Request: can't parse entities: Can't find end tag corresponding to start tag b"));

        await scenario.Outbox.EnqueueAsync(new OutboundMessage("markup:0", 804, "<b>half bold &amp; 2 &lt; 3", ParseMode: "HTML"), CancellationToken.None);

        var sends = await scenario.WaitForDeliveredAsync(1);
        sends.Should().HaveCount(2);
        sends[0].Parameters["parse_mode"]!.GetValue<string>().Should().BeEquivalentTo("HTML", "Telegram reads parse_mode in any letter case");
        sends[1].Parameters.ContainsKey("parse_mode").Should().BeFalse();
        (await scenario.TextsInAsync(804)).Should().Equal(["half bold & 2 < 3"], "the reader gets the text the markup would have shown, not its source");
        (await scenario.Store.DeadLettersAsync(10, CancellationToken.None)).Should().BeEmpty();
    }
}
